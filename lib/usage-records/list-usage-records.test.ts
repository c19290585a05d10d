import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { createMeter } from '@/lib/meters/repository';
import { makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { exportUsageRecordsCsv } from '@/lib/usage-records/export-usage-records';
import { decodeUsageCursor, encodeUsageCursor, listUsageRecords } from '@/lib/usage-records/list-usage-records';
import { parseUsageRecordFilters } from '@/lib/usage-records/usage-record-filters';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
let daily: { id: string; name: string };
let storage: { id: string; name: string };
let theirs: { id: string; name: string };

/** Records start an hour apart, newest (i = 0) last inserted so id order and time order differ. */
async function insert(tenant: Tenant, meterId: string, n: number, account: (i: number) => string, quantity = (i: number) => `${i}.5`) {
  for (let i = n - 1; i >= 0; i--) {
    const start = new Date(Date.UTC(2026, 10, 1) - i * 3_600_000);
    await getPrisma().usageRecord.create({
      data: {
        workspaceId: tenant.workspace.id,
        meterId,
        uniqueKey: `k-${i}`,
        accountNumber: account(i),
        unitOfMeasure: 'API_CALL',
        quantity: quantity(i),
        startDateTime: start,
        endDateTime: new Date(start.getTime() + 3_600_000),
      },
    });
  }
}
const text = async (chunks: AsyncIterable<string>) => {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
};

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  daily = await createMeter(scopeOf(a.workspace, a.owner), { name: unique('Daily') });
  storage = await createMeter(scopeOf(a.workspace, a.owner), { name: unique('Storage') });
  theirs = await createMeter(scopeOf(b.workspace, b.owner), { name: unique('Theirs') });
  await insert(a, daily.id, 7, (i) => (i % 2 ? 'A-1' : 'A-2'));
  await insert(a, storage.id, 2, () => 'A-1', (i) => (i ? '-3' : '12345678901234567890.123456789'));
  await insert(b, theirs.id, 3, () => 'B-1');
});
afterAll(() => disconnectPrisma());

describe('listUsageRecords', () => {
  it('pages newest first with a keyset cursor, never showing another workspace', async () => {
    const seen: string[] = [];
    let before;
    do {
      const page = await listUsageRecords(getPool(), a.workspace.id, { before, limit: 4 });
      seen.push(...page.rows.map((r) => `${r.meterName}:${r.uniqueKey}`));
      before = page.next ? decodeUsageCursor(encodeUsageCursor(page.next)) : undefined;
    } while (before);
    expect(seen).toHaveLength(9);
    expect(seen.slice(0, 2).sort()).toEqual([`${daily.name}:k-0`, `${storage.name}:k-0`].sort());
    expect(seen.filter((s) => s.startsWith(daily.name))).toEqual(['k-0', 'k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6'].map((k) => `${daily.name}:${k}`));
    expect(seen.join()).not.toContain(theirs.name);
  });

  it('filters by meter and by account; quantities keep every digit', async () => {
    const page = await listUsageRecords(getPool(), a.workspace.id, { meterId: daily.id, accountNumber: 'A-1', limit: 50 });
    expect(page.rows.map((r) => r.uniqueKey)).toEqual(['k-1', 'k-3', 'k-5']);
    const big = await listUsageRecords(getPool(), a.workspace.id, { meterId: storage.id, limit: 50 });
    expect(big.rows.map((r) => r.quantity)).toEqual(['12345678901234567890.123456789', '-3']);
  });

  it("refuses a filter naming another workspace's meter as not found", async () => {
    await expect(parseUsageRecordFilters(a.workspace.id, new URLSearchParams({ meter: theirs.id }))).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(parseUsageRecordFilters(a.workspace.id, new URLSearchParams({ meter: 'nope' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await parseUsageRecordFilters(a.workspace.id, new URLSearchParams({ meter: daily.id, account: ' A-1 ' }))).toEqual({ meterId: daily.id, accountNumber: 'A-1' });
  });

  it('ignores a cursor that is not one of ours', () => {
    expect(decodeUsageCursor('2026-11-01T00:00:00.000Z|12')).toEqual({ start: new Date('2026-11-01T00:00:00.000Z'), id: '12' });
    expect(decodeUsageCursor("2026-11-01T00:00:00.000Z|1'; drop")).toBeUndefined();
    expect(decodeUsageCursor('')).toBeUndefined();
  });
});

describe('exportUsageRecordsCsv', () => {
  it('writes a header and every matching record, quantities exact and unguarded', async () => {
    const csv = await text(exportUsageRecordsCsv(getPool(), a.workspace.id, { meterId: storage.id }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('meter,accountNumber,subscriptionNumber,chargeNumber,unitOfMeasure,quantity,startDateTime,endDateTime,uniqueKey');
    expect(lines.slice(1)).toEqual([
      `${storage.name},A-1,,,API_CALL,12345678901234567890.123456789,2026-11-01T00:00:00.000Z,2026-11-01T01:00:00.000Z,k-0`,
      `${storage.name},A-1,,,API_CALL,-3,2026-10-31T23:00:00.000Z,2026-11-01T00:00:00.000Z,k-1`,
    ]);
  });
});
