import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { createMeter } from '@/lib/meters/repository';
import { createUsageRecordsWriter, type UsageRecordsScope } from '@/lib/pipeline/writers/usage-records-writer';
import { makeTenant, scopeOf, unique } from '@/lib/testing/factories';

let scope: UsageRecordsScope;

const usage = (key: string, quantity: number, account = 'A-1') => ({
  accountNumber: account,
  unitOfMeasure: 'API_CALL',
  quantity,
  startDateTime: '2026-11-01T00:00:00.000Z',
  endDateTime: '2026-11-01T01:00:00.000Z',
  uniqueKey: key,
});

/** The table's rows of the meter, without the columns a rewrite may change (run_id, updated_at, id). */
async function contents() {
  const { rows } = await getPool().query(
    `SELECT unique_key, account_number, subscription_number, charge_number, unit_of_measure, quantity::text, start_date_time, end_date_time
       FROM usage_records WHERE meter_id = $1 ORDER BY unique_key`,
    [scope.meterId],
  );
  return rows;
}

beforeAll(async () => {
  const tenant = await makeTenant();
  const meter = await createMeter(scopeOf(tenant.workspace, tenant.owner), { name: unique('Usage') });
  scope = { workspaceId: tenant.workspace.id, meterId: meter.id, runId: randomUUID() };
});
afterAll(() => disconnectPrisma());

describe('usage records writer', () => {
  it('inserts, then replaces by unique key; the same records twice leave the table identical', async () => {
    const writer = createUsageRecordsWriter(getPool(), scope);
    const batch = [usage('k1', 1.5), { ...usage('k2', 2), subscriptionNumber: 'S-1', chargeNumber: 'C-1' }, usage('k3', 0.1)];
    expect(await writer.write(batch)).toEqual({ inserted: 3, replaced: 0, unchanged: 0, sent: 0 });
    const once = await contents();
    expect(once.map((r) => [r.unique_key, r.quantity, r.subscription_number, r.charge_number])).toEqual([
      ['k1', '1.5', null, null],
      ['k2', '2', 'S-1', 'C-1'],
      ['k3', '0.1', null, null],
    ]);

    const secondRun = randomUUID();
    const again = createUsageRecordsWriter(getPool(), { ...scope, runId: secondRun });
    expect(await again.write(batch)).toEqual({ inserted: 0, replaced: 3, unchanged: 0, sent: 0 });
    expect(await contents()).toEqual(once);
    const { rows } = await getPool().query('SELECT DISTINCT run_id FROM usage_records WHERE meter_id = $1', [scope.meterId]);
    expect(rows).toEqual([{ run_id: secondRun }]);
  });

  it('keeps the last record of a key repeated within a batch and counts the earlier one as replaced', async () => {
    const writer = createUsageRecordsWriter(getPool(), scope);
    expect(await writer.write([usage('k4', 1), usage('k1', 7, 'A-2'), usage('k4', 4)])).toEqual({ inserted: 1, replaced: 2, unchanged: 0, sent: 0 });
    const rows = await contents();
    expect(rows.find((r) => r.unique_key === 'k4')).toMatchObject({ quantity: '4' });
    expect(rows.find((r) => r.unique_key === 'k1')).toMatchObject({ quantity: '7', account_number: 'A-2' });
    expect(rows).toHaveLength(4);
  });

  it('lands a batch whole or not at all', async () => {
    const writer = createUsageRecordsWriter(getPool(), scope);
    const before = await contents();
    await expect(writer.write([usage('k5', 1), { ...usage('k6', 1), endDateTime: 'not a time' }])).rejects.toThrow();
    expect(await contents()).toEqual(before);
  });

  it('writes a large batch in one statement', async () => {
    const writer = createUsageRecordsWriter(getPool(), scope);
    const many = Array.from({ length: 20_000 }, (_, i) => usage(`bulk-${i}`, i));
    expect(await writer.write(many)).toMatchObject({ inserted: 20_000, replaced: 0 });
    expect((await contents()).length).toBe(20_004);
  });
});
