import type pg from 'pg';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { formatDateTime } from '@/components/ui/format';
import { recordAudit } from '@/lib/audit/audit-log';
import { getPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { takeStore, type Lease } from '@/lib/event-store/store-status';
import { hasErrors } from '@/lib/meters/problems';
import { meterHasErrors } from '@/lib/meters/repository/save-meter-version';
import { validateMeter } from '@/lib/meters/validate';
import { estimateRun } from '@/lib/runs/estimate';
import { heldError } from '@/lib/runs/held-store';
import { loadRunMeter } from '@/lib/runs/load-run-meter';
import { enqueueRun } from '@/lib/runs/queue';
import { checkScopeFits, newRunId, runLeaseLabel, runShapeOf, shortRunId } from '@/lib/runs/run-shape';
import { startRunSchema, type RunEstimate, type RunScope, type StartRunInput } from '@/lib/runs/types';

export interface StartedRun {
  runId: string;
  /** True when the idempotency key named a run started before (a double-click, a retried request). */
  existing: boolean;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Starts a run of a meter version over a scope, or finds the one this idempotency key started before.
 *
 * Refuses, with nothing taken or stored: a meter version with errors (the same problems, in the same
 * words, as save), a scope that does not fit the meter's source, and — for a real run — another real
 * run of the meter still queued or running, or a target store that another run or a backfill holds,
 * naming it. Otherwise, in ONE transaction: the run row (queued), its file, every target store taken
 * for writing with the lease owners recorded in meter_run_targets, the `run.started` audit row and the
 * queue's job. Taking the stores inside the transaction makes the
 * takes all-or-none: a refusal, or a failure anywhere, rolls back the ones already taken. The run row is
 * inserted first, so of two starts with one key the second waits on the unique index and then finds
 * the first run (not a busy store). Dry runs take no store.
 */
export async function startRun(scope: WorkspaceScope, input: StartRunInput, file?: { name: string; content: Buffer }, db: pg.Pool = getPool()): Promise<StartedRun> {
  const run = startRunSchema.parse(input);
  const before = await findByKey(db, scope.workspaceId, run.idempotencyKey, run);
  if (before) return before;

  const meter = await loadRunMeter(scope.workspaceId, run.meterId, run.version);
  const problems = validateMeter(meter.graph, meter.context);
  if (hasErrors(problems)) throw meterHasErrors(meter.name, problems, 'run');
  const shape = runShapeOf(meter.graph, meter.context);
  checkScopeFits(meter.name, shape, run.scope, file);
  const estimate: RunEstimate | null = await estimateRun(scope.workspaceId, { meterId: meter.id, version: meter.version, scope: run.scope }, db).catch(() => null);

  const runId = newRunId();
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO meter_runs (id, workspace_id, meter_id, meter_version, scope, dry_run, error_policy, status, idempotency_key, created_by, estimate)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 'queued', $8, $9, $10::jsonb)`,
      [runId, scope.workspaceId, meter.id, meter.version, JSON.stringify(run.scope), run.dryRun, run.errorPolicy, run.idempotencyKey, scope.actor.label, JSON.stringify(estimate)],
    );
    await refuseConcurrentRun(client, runId, meter, run.dryRun, run.scope.kind === 'live');
    if (file && run.scope.kind === 'file') {
      await client.query(`INSERT INTO meter_run_inputs (run_id, file_name, content) VALUES ($1, $2, $3)`, [runId, file.name, file.content]);
    }
    if (!run.dryRun) {
      const leases = await takeAll(client, shape.targetStores, runLeaseLabel(runId, meter.name));
      await client.query(
        `INSERT INTO meter_run_targets (run_id, store_id, lease_owner) SELECT $1, store_id, owner FROM unnest($2::uuid[], $3::text[]) AS t(store_id, owner)`,
        [runId, leases.map((l) => l.storeId), leases.map((l) => l.owner)],
      );
    }
    await recordAudit(client, scope, {
      action: 'run.started',
      targetType: 'meter_run',
      targetId: runId,
      details: { meterId: meter.id, meterName: meter.name, version: meter.version, scope: run.scope, dryRun: run.dryRun },
    });
    await enqueueRun(client, runId);
    await client.query('COMMIT');
    return { runId, existing: false };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      const raced = await findByKey(db, scope.workspaceId, run.idempotencyKey, run);
      if (raced) return raced;
    }
    if (error instanceof StoreHeld) throw await heldError(db, error.store);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A run this key started before, when this is the same request again (a double-click, a retry). A key
 * reused for a different request (another meter, version, scope, dry-run flag or error policy) is refused
 * with 409 naming what differs: answering the earlier run would tell a client who asked for a real run
 * that a dry run is it, or the reverse.
 */
async function findByKey(db: pg.Pool, workspaceId: string, key: string, run: StartRunRequest): Promise<StartedRun | null> {
  const { rows } = await db.query<StoredRequest & { id: string }>(
    `SELECT id, meter_id, meter_version, scope, dry_run, error_policy FROM meter_runs WHERE workspace_id = $1 AND idempotency_key = $2`,
    [workspaceId, key],
  );
  const found = rows[0];
  if (!found) return null;
  if (found.meter_id !== run.meterId) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key already started a run of another meter. Send a new key for a new run.', {
      status: 409,
      fieldErrors: { idempotencyKey: ['Already used for a run of another meter.'] },
      details: { runId: found.id },
    });
  }
  const differs = differencesFrom(found, run);
  if (differs.length) {
    const message = `This idempotency key already started run ${shortRunId(found.id)} with a different ${differs.join(', ')}. Send a new key for a new run, or the same request to get that run.`;
    throw new AppError('IDEMPOTENCY_KEY_REUSED', message, { status: 409, fieldErrors: { idempotencyKey: [message] }, details: { runId: found.id } });
  }
  return { runId: found.id, existing: true };
}

type StartRunRequest = ReturnType<typeof startRunSchema.parse>;
interface StoredRequest {
  meter_id: string;
  meter_version: number;
  scope: RunScope;
  dry_run: boolean;
  error_policy: string;
}

/** What of a repeated request differs from the one its key started (instants compared as instants). */
function differencesFrom(stored: StoredRequest, run: StartRunRequest): string[] {
  const differs: string[] = [];
  if (run.version !== undefined && run.version !== stored.meter_version) differs.push(`version (${stored.meter_version})`);
  if (!sameScope(stored.scope, run.scope)) differs.push('scope');
  if (stored.dry_run !== run.dryRun) differs.push(`dry-run flag (${stored.dry_run ? 'a dry run' : 'a real run'})`);
  if (stored.error_policy !== run.errorPolicy) differs.push(`record error policy (${stored.error_policy})`);
  return differs;
}

function sameScope(a: RunScope, b: RunScope): boolean {
  if (a.kind === 'frame' && b.kind === 'frame') return Date.parse(a.from) === Date.parse(b.from) && Date.parse(a.to) === Date.parse(b.to) && a.timeZone === b.timeZone;
  if (a.kind === 'file' && b.kind === 'file') return a.fileName === b.fileName;
  return a.kind === b.kind;
}

/**
 * One real run of a meter at a time (usage-record and webhook targets have no store lease to keep two runs
 * apart), and one live run. Starts of the same meter serialize on an advisory lock held to commit, so of
 * two racing starts the second sees the first's committed run. Dry runs of other scopes go side by side.
 */
async function refuseConcurrentRun(client: pg.ClientBase, runId: string, meter: { id: string; name: string }, dryRun: boolean, live: boolean): Promise<void> {
  if (dryRun && !live) return;
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('meter-run:' || $1, 0))`, [meter.id]);
  const { rows } = await client.query<{ id: string; created_at: Date; created_by: string; status: string }>(
    `SELECT id, created_at, created_by, status FROM meter_runs
      WHERE meter_id = $1 AND id <> $2 AND status IN ('queued', 'running')
        AND (($3 AND NOT dry_run) OR ($4 AND scope->>'kind' = 'live'))
      ORDER BY created_at LIMIT 1`,
    [meter.id, runId, !dryRun, live],
  );
  const other = rows[0];
  if (!other) return;
  throw new AppError(
    'METER_BUSY',
    `“${meter.name}” is already running: run ${shortRunId(other.id)}, started ${formatDateTime(other.created_at)} by ${other.created_by}, is ${other.status}. Wait for it to finish, or cancel it.`,
    { status: 409, details: { runId: other.id } },
  );
}

class StoreHeld extends Error {
  constructor(readonly store: { id: string; name: string }) {
    super(`store ${store.id} is held`);
  }
}

/** Takes every store in id order (a consistent lock order between concurrent starts), or throws StoreHeld. */
async function takeAll(client: pg.ClientBase, stores: { id: string; name: string }[], label: string): Promise<Lease[]> {
  const leases: Lease[] = [];
  for (const store of stores) {
    const lease = await takeStore(client, store.id, 'writing', label);
    if (!lease) throw new StoreHeld(store);
    leases.push(lease);
  }
  return leases;
}
