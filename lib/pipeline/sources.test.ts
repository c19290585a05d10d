import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { executeRun } from '@/lib/pipeline/execute-run';
import { makeReplayWorld, replayDeps, replayRun, storedEvents, USAGE_FIELDS, withSource, type ReplayWorld } from '@/lib/pipeline/pipeline-fixtures';

afterAll(() => closePool());

let world: ReplayWorld;
beforeEach(async () => {
  world = await makeReplayWorld();
});

describe('file source', () => {
  it('streams the uploaded CSV in batches through the meter; unreadable rows and values that do not convert are record errors of the source', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `f${i},2026-02-01T00:${String(i).padStart(2, '0')}:00Z,C1,${i % 6}`);
    rows[7] = 'f7,2026-02-01T00:07:00Z,C1,3,extra';
    rows[10] = 'f10,2026-02-01T00:10:00Z,C1,x';
    const content = Buffer.from(`id,at,customer,units\n${rows.join('\n')}\n`);
    const graph = withSource(world, 'source.fileUpload', { fileName: 'usage.csv', format: 'csv', fields: USAGE_FIELDS });
    const { deps, seen } = await replayDeps(world, { file: { name: 'february.csv', content } });
    const outcome = await executeRun(replayRun(world, { kind: 'file', fileName: 'february.csv' }, { graph }), deps, { batchSize: 10 });
    expect(outcome.progress.read).toBe(25);
    expect(outcome.progress.nodes.source).toEqual({ in: 24, out: 23, dropped: 0, rejected: 1 });
    expect(seen.errors.map((e) => [e.nodeId, e.reason])).toEqual([
      ['source', expect.stringMatching(/^Line 9: Not a valid CSV row/)],
      ['source', '“units” must be a whole number, got “x”.'],
    ]);
    const expected = rows.map((_, i) => i).filter((i) => i !== 7 && i !== 10 && i % 6 > 2);
    const stored = await storedEvents(world.target.id);
    expect(stored.map((e) => e.event_id).sort()).toEqual(expected.map((i) => `f${i}`).sort());
    expect(stored.find((e) => e.event_id === 'f3')?.payload).toEqual({ id: 'f3', at: '2026-02-01T00:03:00.000Z', customer: 'C1', units: 3, doubled: 6 });
  });

  it('reads NDJSON by the file’s name, whatever format the node was configured with', async () => {
    const lines = ['{"id":"n1","at":"2026-02-01T00:00:00Z","customer":"C","units":4}', 'not json', '{"id":"n2","at":"2026-02-01T00:01:00Z","customer":"C","units":1}'];
    const graph = withSource(world, 'source.fileUpload', { fileName: 'usage.csv', format: 'csv', fields: USAGE_FIELDS });
    const { deps, seen } = await replayDeps(world, { file: { name: 'usage.ndjson', content: Buffer.from(lines.join('\n')) } });
    await executeRun(replayRun(world, { kind: 'file', fileName: 'usage.ndjson' }, { graph }), deps);
    expect((await storedEvents(world.target.id)).map((e) => e.event_id)).toEqual(['n1']);
    expect(seen.errors).toEqual([{ nodeId: 'source', reason: expect.stringMatching(/^Line 2: Not valid JSON/), record: { position: 2, text: 'not json\n' } }]);
  });
});

describe('ingest buffer source (live)', () => {
  const buffer = (nodeId: string, records: object[]) =>
    getPool().query(`INSERT INTO meter_ingest_records (meter_id, node_id, record) SELECT $1, $2, r FROM unnest($3::jsonb[]) AS r`, [world.meter.id, nodeId, records.map((r) => JSON.stringify(r))]);
  const usage = (i: number) => ({ id: `l${i}`, at: `2026-03-01T00:00:${String(i % 60).padStart(2, '0')}Z`, customer: 'C', units: 3 + (i % 2) });
  const buffered = async () => (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM meter_ingest_records WHERE meter_id = $1`, [world.meter.id])).rows[0]!.n;

  it('takes what was buffered and what arrives while started, in micro-batches, deletes it once written, and finishes normally when stopped', async () => {
    await buffer('source', Array.from({ length: 12 }, (_, i) => usage(i)));
    await buffer('gone-node', [usage(99)]);
    const graph = withSource(world, 'source.httpIngest', { fields: USAGE_FIELDS });
    const stop = new AbortController();
    let fed = false;
    const { deps } = await replayDeps(world, {
      signal: stop.signal,
      onProgress: async (p) => {
        if (p.read === 13 && !fed) {
          fed = true;
          await buffer('source', [usage(20), usage(21)]);
        }
        if (p.read === 15) setTimeout(() => stop.abort(new Error('stopped')), 100);
      },
    });
    const outcome = await executeRun(replayRun(world, { kind: 'live' }, { graph }), deps, { batchSize: 5, ingestBuffer: { pollMs: 20 } });
    expect(outcome.progress.read).toBe(15);
    expect(outcome.progress.nodes.source!.in).toBe(14);
    expect((await storedEvents(world.target.id)).map((e) => e.event_id).sort()).toEqual([...Array.from({ length: 12 }, (_, i) => `l${i}`), 'l20', 'l21'].sort());
    expect(await buffered()).toBe(0);
  });

  it('keeps the rows of a batch whose write failed, for the next start (at least once)', async () => {
    await buffer('source', [usage(1), usage(2)]);
    const graph = withSource(world, 'source.httpIngest', { fields: USAGE_FIELDS });
    const { deps } = await replayDeps(world);
    await getPool().query(`UPDATE event_stores SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [world.target.id]);
    await expect(executeRun(replayRun(world, { kind: 'live' }, { graph }), deps, { ingestBuffer: { pollMs: 20 } })).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await buffered()).toBe(2);
  });
});
