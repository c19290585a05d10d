import type { WorkspaceScope } from '@/lib/auth/actor';
import { confirmBackfill } from '@/lib/backfills/confirm-backfill';
import { previewBackfill } from '@/lib/backfills/preview-backfill';
import { undoBackfill } from '@/lib/backfills/undo-backfill';
import { BACKFILL_MAX_ROWS } from '@/lib/backfills/types';
import { createBenchWorkspace } from '@/lib/bench/bench-workspace';
import { BENCH_DEFINITION } from '@/lib/bench/generate-events';
import { loadBenchEvents, medianOf } from '@/lib/bench/stores-suite';
import type { BenchContext, Suite } from '@/lib/bench/types';
import { csvCell } from '@/lib/event-store/csv-cell';

export interface BackfillSizes {
  /** Events in the store. */
  events: number;
  /** Events per INSERT statement while loading. */
  loadBatch: number;
  /** Rows of each backfill file (the page's limit). */
  rows: number;
  /** Timed backfills (each deletes other events, then is undone); the median is reported. */
  runs: number;
}

export const BACKFILL_SIZES: BackfillSizes = { events: 5_000_000, loadBatch: 100_000, rows: BACKFILL_MAX_ROWS, runs: 5 };

const SUITE = 'backfill';
const TARGET_MS = 1000;
const STRETCH_MS = 200;

/**
 * Suite `backfill`: deleting events by CSV from a big store through the page's code path. Loads one store
 * (LOAD_SQL), then per run builds a CSV of `rows` stored events (ids spread over the whole store, their
 * stored times), and times `previewBackfill` (parse, match, record: `preview-1000`) and `confirmBackfill`
 * (take the store, trail + delete in one transaction, release: `delete-1000`, target under 1,000 ms,
 * stretch 200 ms), then `undoBackfill` (`undo-1000`), which puts the events back for the next run.
 */
export function backfillSuite(options: Partial<BackfillSizes> = {}): Suite {
  const sizes: BackfillSizes = { ...BACKFILL_SIZES, ...options };
  return {
    name: SUITE,
    description: `delete ${sizes.rows.toLocaleString('en')} events by CSV from a store of ${sizes.events.toLocaleString('en')}, as the page does`,
    async run(context) {
      const { workspace, definition } = await createBenchWorkspace(context.prisma, 'bench-backfill', 'Bench backfill');
      try {
        const store = await context.prisma.eventStore.create({ data: { workspaceId: workspace.id, definitionId: definition.id, name: 'bench-backfill-store' } });
        const load = await loadBenchEvents(context, SUITE, store.id, sizes);
        const scope: WorkspaceScope = { workspaceId: workspace.id, workspaceName: workspace.name, role: 'owner', actor: { type: 'user', id: 'bench', label: 'npm run bench' } };
        const times = { preview: [] as number[], delete: [] as number[], undo: [] as number[] };
        // One warm-up run, then the timed ones; each run deletes other events.
        for (let run = 0; run <= sizes.runs; run++) {
          const bytes = await backfillFile(context, store.id, sizes, run);
          const previewed = await timed(() => previewBackfill(scope, store.id, { name: `bench-${run}.csv`, bytes }));
          if (previewed.value.matched !== sizes.rows) throw new Error(`${SUITE}: the preview matched ${previewed.value.matched} of ${sizes.rows} rows`);
          const confirmed = await timed(() => confirmBackfill(scope, previewed.value.id));
          if (confirmed.value.deleted !== sizes.rows) throw new Error(`${SUITE}: the confirm deleted ${confirmed.value.deleted} of ${sizes.rows} events`);
          const undone = await timed(() => undoBackfill(scope, previewed.value.id));
          if (undone.value.undo?.restored !== sizes.rows) throw new Error(`${SUITE}: the undo restored ${undone.value.undo?.restored} of ${sizes.rows} events`);
          if (run === 0) continue;
          times.preview.push(previewed.ms);
          times.delete.push(confirmed.ms);
          times.undo.push(undone.ms);
        }
        const { rows } = await context.pool.query(`SELECT event_count FROM event_store_stats WHERE store_id = $1`, [store.id]);
        if (Number(rows[0]?.event_count) !== sizes.events) throw new Error(`${SUITE}: the store holds ${rows[0]?.event_count} events after the undos, expected ${sizes.events}`);
        for (const [name, list] of Object.entries(times)) context.log(`${SUITE}: ${name}-${sizes.rows}: ${list.map((t) => t.toFixed(1)).join(', ')} ms`);
        const n = sizes.rows;
        const deleteMs = medianOf(times.delete);
        const verdict = deleteMs < STRETCH_MS ? 'met, stretch met' : deleteMs < TARGET_MS ? `met, stretch (${STRETCH_MS} ms) not met` : 'NOT MET';
        return [
          load,
          { suite: SUITE, name: `preview-${n}`, value: medianOf(times.preview), unit: 'ms', note: `median of ${sizes.runs} runs: parse, match and record the file` },
          { suite: SUITE, name: `delete-${n}`, value: deleteMs, unit: 'ms', note: `median of ${sizes.runs} runs of the confirm; target under ${TARGET_MS} ms: ${verdict}` },
          { suite: SUITE, name: `undo-${n}`, value: medianOf(times.undo), unit: 'ms', note: `median of ${sizes.runs} runs: re-insert the deleted events from the trail` },
        ];
      } finally {
        const started = performance.now();
        await context.pool.query('DELETE FROM workspaces WHERE id = $1', [workspace.id]);
        context.log(`${SUITE}: deleting the store took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  };
}

/**
 * A backfill CSV of `rows` stored events of run `run`: ids spread evenly over the store (a different set
 * each run), with the times read from the store, as a user would export them.
 */
async function backfillFile(context: BenchContext, storeId: string, sizes: BackfillSizes, run: number): Promise<Buffer> {
  const stride = Math.max(1, Math.floor(sizes.events / sizes.rows));
  const numbers = Array.from({ length: sizes.rows }, (_, i) => (i * stride + run) % sizes.events);
  const { rows } = await context.pool.query<{ event_id: string; event_time: Date }>(
    `SELECT event_id, event_time FROM events WHERE store_id = $1::uuid AND event_id = ANY($2::text[]) ORDER BY event_id`,
    [storeId, numbers.map((i) => `evt-${String(i).padStart(10, '0')}`)],
  );
  const header = `${csvCell(BENCH_DEFINITION.eventIdField)},${csvCell(BENCH_DEFINITION.eventTimeField)}\n`;
  return Buffer.from(header + rows.map((r) => `${csvCell(r.event_id)},${r.event_time.toISOString()}\n`).join(''));
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
