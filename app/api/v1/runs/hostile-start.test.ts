import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listRunsRoute, POST as startRunRoute } from '@/app/api/v1/runs/route';
import { API_SCOPE_NAMES } from '@/lib/api-keys/scopes';
import { getPool } from '@/lib/db/pool';
import { estimateRun } from '@/lib/runs/estimate';
import { stopRunQueue } from '@/lib/runs/queue';
import type { AppError } from '@/lib/errors';
import { startRun } from '@/lib/runs/start-run';
import type { StartRunInput } from '@/lib/runs/types';
import { makeApiKey, makeStore, makeTenant, scopeOf } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

/**
 * POST /api/v1/runs as a careless or hostile client would call it: every bad request gets a 4xx naming
 * the field, never a 500, and starts nothing it was not asked to.
 */

let key: string;
let meterId: string;
let workspaceId: string;
const realRunsOf = async (id: string) => Number((await getPool().query(`SELECT count(*) FROM meter_runs WHERE meter_id = $1 AND NOT dry_run`, [id])).rows[0].count);

async function post(body: unknown): Promise<{ status: number; body: { run?: { id: string; dryRun: boolean }; error?: { code: string; message: string; fieldErrors?: Record<string, string[]> } } }> {
  const request = new Request('http://localhost/api/v1/runs', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const response = await startRunRoute(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}
const dry = (extra: Record<string, unknown> = {}) => ({ meterId, scope: { kind: 'all' }, dryRun: true, idempotencyKey: randomUUID(), ...extra });

beforeAll(async () => {
  const tenant = await makeTenant();
  workspaceId = tenant.workspace.id;
  key = (await makeApiKey(tenant.workspace, tenant.owner, API_SCOPE_NAMES)).key;
  meterId = (await makeCopyMeter(tenant)).meter.id;
});
afterAll(() => stopRunQueue());

describe('POST /api/v1/runs against hostile or careless input', () => {
  it('refuses a dryRun that is not a boolean instead of starting a real run that writes', async () => {
    for (const dryRun of ['yes', 1, 'dry', {}]) {
      const { status, body } = await post(dry({ dryRun }));
      expect(status).toBe(400);
      expect(body.error?.fieldErrors?.dryRun).toEqual(['dryRun is true or false (a form may send "on", "true" or "false").']);
    }
    expect(await realRunsOf(meterId)).toBe(0);
    expect((await post(dry({ dryRun: 'true' }))).body.run?.dryRun).toBe(true);
    expect((await post(dry({ dryRun: 'FALSE', scope: { kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } }))).body.run?.dryRun).toBe(false);
    expect(await realRunsOf(meterId)).toBe(1);
  });

  it('answers the same request sent again with its key with the same run, and refuses the key with a different request naming what differs', async () => {
    const idempotencyKey = randomUUID();
    const frame = { kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', timeZone: 'Europe/Berlin' };
    const first = await post(dry({ idempotencyKey, scope: frame }));
    expect(first.status).toBe(201);
    // The same instants written another way are the same request.
    const again = await post(dry({ idempotencyKey, scope: { ...frame, from: '2026-01-01T01:00:00.000+01:00' } }));
    expect(again.status).toBe(200);
    expect(again.body.run?.id).toBe(first.body.run?.id);
    const runId = first.body.run!.id.slice(-8);
    const cases: [Record<string, unknown>, string][] = [
      [{ dryRun: false }, 'dry-run flag (a dry run)'],
      [{ scope: { ...frame, to: '2026-03-01T00:00:00Z' } }, 'scope'],
      [{ scope: { kind: 'all' } }, 'scope'],
      [{ errorPolicy: 'stop' }, 'record error policy (skip)'],
      [{ version: 2 }, 'version (1)'],
    ];
    for (const [change, words] of cases) {
      const { status, body } = await post(dry({ idempotencyKey, scope: frame, ...change }));
      expect(status).toBe(409);
      expect(body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: `This idempotency key already started run ${runId} with a different ${words}. Send a new key for a new run, or the same request to get that run.` });
    }
    expect(await realRunsOf(meterId)).toBe(1);
  });

  it('answers a version past the latest with 404, however large, not a database error', async () => {
    for (const version of [2, 2_147_483_648, 9_007_199_254_740_991]) {
      const { status, body } = await post(dry({ version }));
      expect(status).toBe(404);
      expect(body.error?.message).toMatch(new RegExp(`^Version ${version} of “.+” was not found\\.$`));
    }
  });

  it('refuses text PostgreSQL cannot store (NUL, half a surrogate pair) and unknown time zones, naming the field', async () => {
    const frame = (timeZone: string) => ({ kind: 'frame', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', timeZone });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ idempotencyKey: 'abc\u0000defghij' }, 'idempotencyKey', 'The idempotency key contains a control character or broken Unicode; remove it.'],
      [{ idempotencyKey: 'abcdefgh\uD800' }, 'idempotencyKey', 'The idempotency key contains a control character or broken Unicode; remove it.'],
      [{ scope: frame('Mars/Olympus') }, 'scope.timeZone', 'Choose a known IANA time zone, e.g. UTC or Europe/Berlin.'],
      [{ scope: frame('UTC\u0000') }, 'scope.timeZone', 'Choose a known IANA time zone, e.g. UTC or Europe/Berlin.'],
      [{ scope: { kind: 'file', fileName: 'calls\u0000.csv' } }, 'scope.fileName', 'The file name contains a control character or broken Unicode; remove it.'],
    ];
    for (const [change, field, message] of cases) {
      const { status, body } = await post(dry(change));
      expect(status).toBe(400);
      expect(body.error?.fieldErrors?.[field]).toEqual([message]);
    }
    expect((await post(dry({ scope: frame('America/Argentina/Buenos_Aires') }))).status).toBe(201);
  });

  it('refuses frame times PostgreSQL cannot parse (year 0, past 9999 in UTC), and takes the widest it can', async () => {
    const frame = (from: string, to: string) => ({ scope: { kind: 'frame', from, to } });
    for (const [change, field] of [
      [frame('0000-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), 'scope.from'],
      [frame('2026-01-01T00:00:00Z', '9999-12-31T23:00:00-05:00'), 'scope.to'],
    ] as const) {
      const { status, body } = await post(dry(change));
      expect(status).toBe(400);
      expect(body.error?.fieldErrors?.[field]).toEqual(['Enter a time from the year 1 to 9999 (UTC).']);
    }
    const widest = await post(dry(frame('0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z')));
    expect(widest.status).toBe(201);
    expect(await estimateRun(workspaceId, { meterId, scope: { kind: 'frame', from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z' } })).toMatchObject({ events: 0, kind: 'exact' });
  });

  it('parallel starts: one run per key, one real run per meter, one writer per store; every loser a clear 409, never a 500', async () => {
    const world = await makeTenant();
    const scope = scopeOf(world.workspace, world.owner);
    const start = (input: StartRunInput) => startRun(scope, input).then((r) => ({ ok: r }), (error: AppError) => ({ error }));

    // The same key ten times at once (a retrying client): one run, every answer names it.
    const one = await makeCopyMeter(world);
    const idempotencyKey = randomUUID();
    const sameKey = await Promise.all(Array.from({ length: 10 }, () => start({ meterId: one.meter.id, scope: { kind: 'all' }, idempotencyKey })));
    const ids = new Set(sameKey.map((r) => ('ok' in r ? r.ok.runId : r.error.code)));
    expect(ids.size).toBe(1);
    expect(sameKey.filter((r) => 'ok' in r && !r.ok.existing)).toHaveLength(1);

    // Ten keys for another meter at once: one real run, nine told the meter is busy with it.
    const two = await makeCopyMeter(world);
    const manyKeys = await Promise.all(Array.from({ length: 10 }, () => start({ meterId: two.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() })));
    const started = manyKeys.flatMap((r) => ('ok' in r ? [r.ok.runId] : []));
    expect(started).toHaveLength(1);
    for (const r of manyKeys) if ('error' in r) expect(r.error).toMatchObject({ code: 'METER_BUSY', details: { runId: started[0] } });

    // Five meters writing one store, started at once: one takes it, four are told which run holds it.
    const shared = await makeStore(world.workspace.id, world.definition.id);
    const meters = await Promise.all(Array.from({ length: 5 }, () => makeCopyMeter(world, { targetStoreId: shared.id })));
    const racing = await Promise.all(meters.map((m) => start({ meterId: m.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() })));
    const winners = racing.flatMap((r) => ('ok' in r ? [r.ok.runId] : []));
    expect(winners).toHaveLength(1);
    for (const r of racing) if ('error' in r) expect(r.error).toMatchObject({ code: 'STORE_BUSY', details: { runId: winners[0] } });
    const targets = await getPool().query(`SELECT run_id FROM meter_run_targets WHERE store_id = $1`, [shared.id]);
    expect(targets.rows.map((r) => r.run_id)).toEqual(winners);
  });

  it('GET /api/v1/runs refuses a limit outside 1..200 as its message says, rather than answering 0 runs or clamping silently', async () => {
    for (const limit of ['0', '201', '9999', '-1', '1.5', 'x']) {
      const response = await listRunsRoute(new Request(`http://localhost/api/v1/runs?limit=${limit}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
      expect(response.status).toBe(400);
      expect((await response.json()).error.fieldErrors).toEqual({ limit: ['A whole number from 1 to 200.'] });
    }
    const ok = await listRunsRoute(new Request('http://localhost/api/v1/runs?limit=200', { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
    expect(ok.status).toBe(200);
  });
});
