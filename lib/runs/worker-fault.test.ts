import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
// The spawned workers and this file share a queue of their own: no other test file's runs are taken.
process.env.RUN_QUEUE_NAME = 'meter-run-test-fault';
const { getPool } = await import('@/lib/db/pool');
const { disconnectPrisma } = await import('@/lib/db/prisma');
const { readActivity } = await import('@/lib/event-store/store-status');
const { stopRunQueue } = await import('@/lib/runs/queue');
const { getRunView } = await import('@/lib/runs/read-runs');
const { reapStaleRuns } = await import('@/lib/runs/reaper');
const { startRun } = await import('@/lib/runs/start-run');
const { scopeOf } = await import('@/lib/testing/factories');
const { eventually, makeCopyWorld, targetMatchesSource } = await import('@/lib/testing/run-world');

const children: ChildProcess[] = [];

/** `npm run worker`'s command (node with tsx's loader: one pid, so SIGKILL kills the worker itself). */
async function spawnWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', 'scripts/worker.ts'], {
    env: { ...process.env, RUN_WORKER_CONCURRENCY: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Run worker')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before starting:\n${output}`)));
  });
  return child;
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stopRunQueue();
  await disconnectPrisma();
});

describe('a worker process killed mid-run (SIGKILL)', () => {
  it('leaves a run that is failed within a minute with its store released; running it again gives exactly the source', { timeout: 300_000 }, async () => {
    const world = await makeCopyWorld(300_000);
    const scope = scopeOf(world.tenant.workspace, world.tenant.owner);
    const worker = await spawnWorker();
    const { runId } = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    await eventually(async () => {
      const view = await getRunView(world.tenant.workspace.id, runId);
      if (view!.status !== 'queued' && view!.status !== 'running') throw new Error(`the run ended before the kill: ${view!.status} ${view!.failure}`);
      return view!.progress.read > 0 ? true : undefined;
    }, 60_000, 'the spawned worker to be part-way through the run');

    worker.kill('SIGKILL');
    const killedAt = Date.now();
    const written = (await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).target;
    expect(written).toBeLessThan(300_000);
    expect((await readActivity(getPool(), world.targetStoreId))!.activity).toBe('writing');

    // What every worker process's reaper does every 10 s; here no worker is left, so the test plays it.
    const failed = await eventually(async () => {
      await reapStaleRuns(getPool());
      const view = await getRunView(world.tenant.workspace.id, runId);
      return view!.status === 'failed' ? view : undefined;
    }, 60_000, 'the reaper to fail the run');
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(failed!.failure).toMatch(/^The worker running it stopped responding/);
    expect((await readActivity(getPool(), world.targetStoreId))!.activity).toBe('idle');

    await spawnWorker();
    const again = await startRun(scope, { meterId: world.meter.id, scope: { kind: 'all' }, idempotencyKey: randomUUID() });
    const done = await eventually(async () => {
      const view = await getRunView(world.tenant.workspace.id, again.runId);
      return view!.status === 'queued' || view!.status === 'running' ? undefined : view;
    }, 180_000, 'the run again to end');
    expect(done).toMatchObject({ status: 'completed', progress: { read: 300_000 } });
    expect(await targetMatchesSource(world.sourceStoreId, world.targetStoreId)).toEqual({ source: 300_000, target: 300_000, differing: 0 });
    expect((await readActivity(getPool(), world.targetStoreId))!.activity).toBe('idle');
  });
});
