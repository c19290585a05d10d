// The replay bench's worker: runs one meter run with the engine in a process of its own, as a worker does,
// so its peak memory (maxRSS) is the engine's and not the bench's. Input: one JSON argument (ReplayJob);
// output: one JSON line on stdout (ReplayResult). Progress and errors go to stderr.
import { closePool, getWorkPool } from '@/lib/db/pool';
import { disconnectPrisma } from '@/lib/db/prisma';
import { withStore } from '@/lib/event-store/with-store';
import type { MeterGraph } from '@/lib/meters/graph';
import { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
import { executeRun } from '@/lib/pipeline/execute-run';
import type { RunProgress, RunScope } from '@/lib/runs/types';

export interface ReplayJob {
  workspaceId: string;
  meterId: string;
  graph: MeterGraph;
  scope: RunScope;
  target: { id: string; name: string };
  pageSize?: number;
}

export interface ReplayResult {
  seconds: number;
  progress: RunProgress;
  /** Peak resident set of this process, in MB. */
  maxRssMb: number;
}

async function main() {
  const job = JSON.parse(process.argv[2] ?? '') as ReplayJob;
  const pool = getWorkPool();
  try {
    const context = await loadMeterContext(job.workspaceId);
    const started = performance.now();
    const outcome = await withStore(pool, job.target, 'writing', 'replay bench', (lease, signal) =>
      executeRun(
        { id: 'bench', workspaceId: job.workspaceId, meterId: job.meterId, graph: job.graph, context, scope: job.scope, dryRun: false, errorPolicy: 'skip' },
        { pool, leases: new Map([[job.target.id, lease]]), signal, onProgress: () => undefined, onRecordErrors: () => undefined },
        { eventStore: { pageSize: job.pageSize } },
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const result: ReplayResult = { seconds, progress: outcome.progress, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await disconnectPrisma();
    await closePool();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
