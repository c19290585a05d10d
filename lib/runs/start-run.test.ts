import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import type { AppError } from '@/lib/errors';
import { readActivity, takeStore } from '@/lib/event-store/store-status';
import { saveMeterVersion } from '@/lib/meters/repository';
import { createMeter } from '@/lib/meters/repository';
import { cancelRun } from '@/lib/runs/cancel-run';
import { getRunView } from '@/lib/runs/read-runs';
import { startRun } from '@/lib/runs/start-run';
import { runQueueName, stopRunQueue } from '@/lib/runs/queue';
import type { StartRunInput } from '@/lib/runs/types';
import { makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { copyGraph, makeCopyMeter } from '@/lib/testing/run-fixtures';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
const scopeA = () => scopeOf(a.workspace, a.editor, 'editor');
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as AppError);
const key = () => randomUUID();
const allTime = (meterId: string, extra: Partial<StartRunInput> = {}): StartRunInput => ({ meterId, scope: { kind: 'all' }, idempotencyKey: key(), ...extra });
const runsOf = async (meterId: string) => (await getPool().query(`SELECT id FROM meter_runs WHERE meter_id = $1`, [meterId])).rowCount;
const activity = async (storeId: string) => (await readActivity(getPool(), storeId))!.activity;

beforeAll(async () => {
  a = await makeTenant();
});
afterAll(async () => {
  await stopRunQueue();
  await disconnectPrisma();
});

describe('startRun', () => {
  it('records a real run queued, takes its target store with the lease owner recorded, audits and enqueues it', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const input = allTime(meter.id);
    const { runId, existing } = await startRun(scopeA(), input);
    expect(existing).toBe(false);
    const view = await getRunView(a.workspace.id, runId);
    expect(view).toMatchObject({ meterId: meter.id, meterName: meter.name, meterVersion: 1, status: 'queued', dryRun: false, createdBy: a.editor.email, scope: { kind: 'all' } });
    expect(view!.targets).toEqual([{ storeId: targetStoreId, storeName: expect.any(String) }]);
    expect(view!.estimate).toMatchObject({ events: 0, kind: 'exact' });
    const store = await readActivity(getPool(), targetStoreId);
    expect(store!.activity).toBe('writing');
    expect(store!.leaseOwner).toMatch(new RegExp(`:run ${runId.slice(-8)} of ${meter.name}$`));
    const recorded = await getPool().query(`SELECT lease_owner FROM meter_run_targets WHERE run_id = $1`, [runId]);
    expect(recorded.rows).toEqual([{ lease_owner: store!.leaseOwner }]);
    const job = await getPool().query(`SELECT data FROM pgboss.job WHERE name = $2 AND singleton_key = $1`, [runId, runQueueName()]);
    expect(job.rows).toEqual([{ data: { runId } }]);
    const audit = await getPrisma().auditEvent.findFirst({ where: { targetId: runId, action: 'run.started' } });
    expect(audit).toMatchObject({ actorLabel: a.editor.email });
    await cancelRun(scopeA(), runId);
    expect(await activity(targetStoreId)).toBe('idle');
  });

  it('takes no store for a dry run', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const { runId } = await startRun(scopeA(), allTime(meter.id, { dryRun: true }));
    expect(await activity(targetStoreId)).toBe('idle');
    expect((await getRunView(a.workspace.id, runId))!.targets).toEqual([]);
  });

  it('refuses a version with errors with the same problems and words as save, storing nothing', async () => {
    const { meter } = await makeCopyMeter(a);
    const { targetStoreId } = await makeCopyMeter(a);
    // Version 2 targets a store that is then deleted: the saved version no longer validates.
    const doomed = await makeStore(a.workspace.id, a.definition.id, unique('doomed'));
    await saveMeterVersion(scopeA(), meter.id, 1, copyGraph({ id: 'src', kind: 'source.eventStore', label: '', position: { x: 0, y: 0 }, config: { storeId: a.store.id } }, doomed.id));
    await getPrisma().eventStore.delete({ where: { id: doomed.id } });
    const refused = await failure(startRun(scopeA(), allTime(meter.id)));
    const graph = (await getPrisma().meterVersion.findFirstOrThrow({ where: { meterId: meter.id, version: 2 } })).graph;
    const saved = await failure(saveMeterVersion(scopeA(), meter.id, 2, graph));
    expect(refused?.code).toBe('METER_HAS_ERRORS');
    expect(refused?.status).toBe(422);
    expect(refused?.details.problems).toEqual(saved?.details.problems);
    expect(refused?.userMessage).toBe(saved?.userMessage.replace('was not saved', 'was not run'));
    expect(await runsOf(meter.id)).toBe(0);
    expect(await activity(targetStoreId)).toBe('idle');
  });

  it('refuses a scope that does not fit the source, and a file meter without its file', async () => {
    const { meter } = await makeCopyMeter(a);
    expect((await failure(startRun(scopeA(), allTime(meter.id, { scope: { kind: 'file', fileName: 'x.csv' } }))))?.userMessage).toBe(
      `“${meter.name}” reads Event Stores: choose All time or a time frame.`,
    );
    const file = await makeCopyMeter(a, { source: 'file' });
    expect((await failure(startRun(scopeA(), allTime(file.meter.id))))?.userMessage).toBe(`“${file.meter.name}” reads a file: choose the file to run it on.`);
    expect((await failure(startRun(scopeA(), allTime(file.meter.id, { scope: { kind: 'file', fileName: 'x.ndjson' } }))))?.code).toBe('FILE_MISSING');
    const http = await makeCopyMeter(a, { source: 'http' });
    expect((await failure(startRun(scopeA(), allTime(http.meter.id))))?.code).toBe('SCOPE_MISMATCH');
    expect(await runsOf(meter.id)).toBe(0);
    expect(await runsOf(file.meter.id)).toBe(0);
    const started = await startRun(scopeA(), allTime(file.meter.id, { scope: { kind: 'file', fileName: 'calls.ndjson' } }), { name: 'calls.ndjson', content: Buffer.from('{"id":"1","at":"2026-01-01T00:00:00Z"}\n') });
    const input = await getPool().query(`SELECT file_name, length(content) AS bytes FROM meter_run_inputs WHERE run_id = $1`, [started.runId]);
    expect(input.rows).toEqual([{ file_name: 'calls.ndjson', bytes: 39 }]);
    await cancelRun(scopeA(), started.runId);
  });

  it('refuses while another run writes a target store, naming that run, and stores nothing', async () => {
    const first = await makeCopyMeter(a);
    const second = await makeCopyMeter(a, { targetStoreId: first.targetStoreId });
    const holder = await startRun(scopeA(), allTime(first.meter.id));
    const refused = await failure(startRun(scopeA(), allTime(second.meter.id)));
    expect(refused?.code).toBe('STORE_BUSY');
    expect(refused?.status).toBe(409);
    expect(refused?.userMessage).toMatch(new RegExp(`is busy: the run of “${first.meter.name}” started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC by ${a.editor.email} is writing to it`));
    expect(refused?.details.runId).toBe(holder.runId);
    expect(await runsOf(second.meter.id)).toBe(0);
    await cancelRun(scopeA(), holder.runId);
    expect((await startRun(scopeA(), allTime(second.meter.id))).existing).toBe(false);
  });

  it('takes all target stores or none: a store held by a backfill leaves the others untaken', async () => {
    const [one, two] = await Promise.all([makeStore(a.workspace.id, a.definition.id, unique('one')), makeStore(a.workspace.id, a.definition.id, unique('two'))]);
    const meter = await createMeter(scopeA(), { name: unique('Two targets') });
    const graph = copyGraph({ id: 'src', kind: 'source.eventStore', label: '', position: { x: 0, y: 0 }, config: { storeId: a.store.id } }, one.id);
    graph.nodes.push({ id: 'dst2', kind: 'target.eventStore', label: '', position: { x: 400, y: 200 }, config: { storeId: two.id, mapping: { id: 'id', at: 'at' } } });
    graph.edges.push({ id: 'keep-dst2', source: 'keep', sourcePort: 'out', target: 'dst2', targetPort: 'in' });
    await saveMeterVersion(scopeA(), meter.id, 0, graph);
    // Whichever store is taken second, the first must come back.
    for (const held of [one, two]) {
      const backfill = (await takeStore(getPool(), held.id, 'deleting', 'backfill by carol'))!;
      const refused = await failure(startRun(scopeA(), allTime(meter.id)));
      expect(refused?.userMessage).toMatch(new RegExp(`^The event store “${held.name}” is busy: a backfill is deleting events from it since \\d\\d:\\d\\d UTC \\(“backfill by carol”\\)\\. Try again when it finishes\\.$`));
      expect(await activity(one.id === held.id ? two.id : one.id)).toBe('idle');
      expect(await runsOf(meter.id)).toBe(0);
      await getPool().query(`UPDATE event_stores SET activity = 'idle', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2`, [held.id, backfill.owner]);
    }
  });

  it('starts one run per idempotency key: a repeat and two parallel starts find the same run', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const input = allTime(meter.id);
    const first = await startRun(scopeA(), input);
    expect(await startRun(scopeA(), input)).toEqual({ runId: first.runId, existing: true });
    await cancelRun(scopeA(), first.runId);

    const racing = allTime(meter.id);
    const results = await Promise.all([startRun(scopeA(), racing), startRun(scopeA(), racing), startRun(scopeA(), racing)]);
    expect(new Set(results.map((r) => r.runId)).size).toBe(1);
    expect(results.filter((r) => !r.existing)).toHaveLength(1);
    expect(await runsOf(meter.id)).toBe(2);
    const owner = (await readActivity(getPool(), targetStoreId))!.leaseOwner;
    const recorded = await getPool().query(`SELECT lease_owner FROM meter_run_targets WHERE run_id = $1`, [results[0]!.runId]);
    expect(recorded.rows).toEqual([{ lease_owner: owner }]);

    const other = await makeCopyMeter(a);
    expect((await failure(startRun(scopeA(), { ...racing, meterId: other.meter.id })))?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('one real run of a meter at a time', () => {
  it('refuses a second real run of the same meter (also when both start at once), naming the first; dry runs go alongside', async () => {
    const { meter } = await makeCopyMeter(a);
    const settled = await Promise.allSettled([startRun(scopeA(), allTime(meter.id)), startRun(scopeA(), allTime(meter.id))]);
    const started = settled.filter((r) => r.status === 'fulfilled');
    expect(started).toHaveLength(1);
    const runId = (started[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    const refused = (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AppError;
    // The loser may meet the run first or the store first: both name the running run.
    expect(refused.details.runId).toBe(runId);
    const again = await failure(startRun(scopeA(), allTime(meter.id)));
    expect(again?.code).toBe('METER_BUSY');
    expect(again?.userMessage).toMatch(new RegExp(`^“${meter.name}” is already running: run ${runId.slice(-8)}, started .* UTC by ${a.editor.email}, is queued\\. Wait for it to finish, or cancel it\\.$`));
    expect((await startRun(scopeA(), allTime(meter.id, { dryRun: true }))).existing).toBe(false);
    expect(await runsOf(meter.id)).toBe(2);
    await cancelRun(scopeA(), runId);
    expect((await startRun(scopeA(), allTime(meter.id))).existing).toBe(false);
  });
});

describe('cancelRun', () => {
  it('cancels a queued run at once and releases its stores; an ended run says how it ended', async () => {
    const { meter, targetStoreId } = await makeCopyMeter(a);
    const { runId } = await startRun(scopeA(), allTime(meter.id));
    expect(await cancelRun(scopeA(), runId)).toEqual({ status: 'cancelled' });
    expect(await getRunView(a.workspace.id, runId)).toMatchObject({ status: 'cancelled', cancelRequested: true, failure: `Cancelled by ${a.editor.email} before it started.` });
    expect(await activity(targetStoreId)).toBe('idle');
    const again = await failure(cancelRun(scopeA(), runId));
    expect(again?.userMessage).toMatch(/^This run already ended: cancelled at \d{4}-.* UTC\. There is nothing to cancel\.$/);
    expect(again?.status).toBe(409);
  });

  it('asks a running run to stop between batches, and finds no run of another workspace', async () => {
    const { meter } = await makeCopyMeter(a);
    const { runId } = await startRun(scopeA(), allTime(meter.id, { dryRun: true }));
    await getPool().query(`UPDATE meter_runs SET status = 'running', started_at = now(), heartbeat_at = now() WHERE id = $1`, [runId]);
    expect(await cancelRun(scopeA(), runId)).toEqual({ status: 'running' });
    expect(await getRunView(a.workspace.id, runId)).toMatchObject({ status: 'running', cancelRequested: true });
    const b = await makeTenant();
    expect((await failure(cancelRun(scopeOf(b.workspace, b.owner), runId)))?.status).toBe(404);
  });
});
