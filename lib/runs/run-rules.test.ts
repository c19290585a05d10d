import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import type { AppError } from '@/lib/errors';
import { readActivity } from '@/lib/event-store/store-status';
import { createMeter, saveMeterVersion } from '@/lib/meters/repository';
import { stopRunQueue } from '@/lib/runs/queue';
import { startRun } from '@/lib/runs/start-run';
import { makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { ruleBreakingGraphs } from '@/lib/testing/rule-breaking-graphs';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
let target: { id: string; name: string };
const scopeA = () => scopeOf(a.workspace, a.editor, 'editor');
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as AppError);

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  target = await makeStore(a.workspace.id, a.definition.id);
});
afterAll(async () => {
  await stopRunQueue();
  await disconnectPrisma();
});

/**
 * Save never stores a graph with errors, so a version breaking a rule is written here straight into
 * meter_versions (as an older release, a hand edit or a restore of a version made under other rules would
 * leave it). The run action must refuse it with the very problems and words that save gives, and store nothing.
 */
describe('startRun on a version that breaks a rule', () => {
  it.each(ruleBreakingGraphs('A', 'T', 'F').map((r) => r.code))('refuses %s with the same problems and words as save, storing nothing', async (code) => {
    const { graph } = ruleBreakingGraphs(a.store.id, target.id, b.store.id).find((r) => r.code === code)!;
    const meter = await createMeter(scopeA(), { name: unique('Rules') });
    await getPrisma().$transaction([
      getPrisma().meterVersion.create({ data: { meterId: meter.id, version: 1, graph: graph as object, createdBy: a.editor.email } }),
      getPrisma().meter.update({ where: { id: meter.id }, data: { version: 1 } }),
    ]);

    const refused = await failure(startRun(scopeA(), { meterId: meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() }));
    const saved = await failure(saveMeterVersion(scopeA(), meter.id, 1, graph));

    expect(refused).toMatchObject({ code: 'METER_HAS_ERRORS', status: 422 });
    expect((refused!.details.problems as { code: string }[]).map((p) => p.code)).toContain(code);
    expect(refused!.details.problems).toEqual(saved!.details.problems);
    expect(refused!.userMessage).toBe(saved!.userMessage.replace('was not saved', 'was not run'));
    const runs = await getPool().query(`SELECT id FROM meter_runs WHERE meter_id = $1`, [meter.id]);
    expect(runs.rowCount).toBe(0);
    expect((await readActivity(getPool(), target.id))!.activity).toBe('idle');
    expect(await getPrisma().meterVersion.count({ where: { meterId: meter.id } })).toBe(1);
  });
});
