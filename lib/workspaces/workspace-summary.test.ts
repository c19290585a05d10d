import { describe, expect, it } from 'vitest';
import { appendEvents } from '@/lib/event-store/append-events';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { makeTenant, makeWorkspace } from '@/lib/testing/factories';
import { getWorkspaceSummary } from '@/lib/workspaces/workspace-summary';

const NOW = new Date('2026-11-30T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe('getWorkspaceSummary', () => {
  it('an empty workspace is empty, with no events', async () => {
    const workspace = await makeWorkspace();
    expect(await getWorkspaceSummary(getPrisma(), getPool(), workspace.id, NOW)).toEqual({ definitions: 0, stores: 0, triggers: 0, recentEvents: 0, empty: true });
  });

  it("counts this workspace's definitions, stores and the events of the last 90 days only", async () => {
    const [tenant, other] = await Promise.all([makeTenant(), makeTenant()]);
    const event = (eventId: string, eventTime: Date) => ({ eventId, eventTime, payload: { id: eventId, at: eventTime.toISOString() } });
    await appendEvents(getPool(), tenant.store.id, [event('new-1', daysAgo(1)), event('new-2', daysAgo(89)), event('old', daysAgo(91))]);
    await appendEvents(getPool(), other.store.id, [event('elsewhere', daysAgo(1))]);
    expect(await getWorkspaceSummary(getPrisma(), getPool(), tenant.workspace.id, NOW)).toEqual({ definitions: 1, stores: 1, triggers: 0, recentEvents: 2, empty: false });
  });
});
