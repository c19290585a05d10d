import type pg from 'pg';
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { emptyProgress, type RunStatus, type RunView } from '@/lib/runs/types';

/** The columns every read selects, with the meter's name and the target stores (name order). */
const RUN_COLUMNS = `
  r.id, r.meter_id, m.name AS meter_name, r.meter_version, r.scope, r.dry_run, r.error_policy, r.status,
  r.created_at, r.created_by, r.started_at, r.finished_at, r.cancel_requested_at, r.estimate, r.progress,
  r.report, r.error_count, r.failure,
  COALESCE((SELECT json_agg(json_build_object('storeId', s.id, 'storeName', s.name) ORDER BY s.name)
              FROM meter_run_targets t JOIN event_stores s ON s.id = t.store_id WHERE t.run_id = r.id), '[]') AS targets`;

interface RunRow {
  id: string;
  meter_id: string;
  meter_name: string;
  meter_version: number;
  scope: RunView['scope'];
  dry_run: boolean;
  error_policy: RunView['errorPolicy'];
  status: RunStatus;
  created_at: Date;
  created_by: string;
  started_at: Date | null;
  finished_at: Date | null;
  cancel_requested_at: Date | null;
  estimate: RunView['estimate'];
  progress: Partial<RunView['progress']>;
  report: RunView['report'];
  error_count: number;
  failure: string | null;
  targets: RunView['targets'];
}

function toView(row: RunRow): RunView {
  return {
    id: row.id,
    meterId: row.meter_id,
    meterName: row.meter_name,
    meterVersion: row.meter_version,
    scope: row.scope,
    dryRun: row.dry_run,
    errorPolicy: row.error_policy,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    cancelRequested: row.cancel_requested_at !== null,
    estimate: row.estimate,
    progress: { ...emptyProgress(), ...row.progress },
    report: row.report,
    errorCount: row.error_count,
    failure: row.failure,
    targets: row.targets,
  };
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** One run of the workspace, or null (a run of another workspace, or a malformed id, is null too). */
export async function getRunView(workspaceId: string, runId: string, db: pg.Pool = getPool()): Promise<RunView | null> {
  if (!isUuid(runId)) return null;
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM meter_runs r JOIN meters m ON m.id = r.meter_id WHERE r.id = $1 AND r.workspace_id = $2`,
    [runId, workspaceId],
  );
  return rows[0] ? toView(rows[0]) : null;
}

export const MAX_RUNS_PAGE = 200;
const DEFAULT_RUNS_PAGE = 50;

/** The keyset cursor of a page: the last run's created_at and id, opaque to clients. */
const encodeCursor = (row: { created_at: Date; id: string }) => Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) {
    throw new AppError('INVALID_CURSOR', 'The “before” cursor is not one this API gave out; start from the first page.', { status: 400, fieldErrors: { before: ['Not a cursor from a previous page.'] } });
  }
  return { createdAt, id };
}

/**
 * The workspace's runs (of one meter, when given), newest first, in keyset pages on (created_at, id):
 * `next` is the cursor of the following page, or null on the last.
 */
export async function listRuns(
  workspaceId: string,
  options: { meterId?: string; limit?: number; before?: string } = {},
  db: pg.Pool = getPool(),
): Promise<{ runs: RunView[]; next: string | null }> {
  if (options.meterId !== undefined && !isUuid(options.meterId)) return { runs: [], next: null };
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_RUNS_PAGE), 1), MAX_RUNS_PAGE);
  const cursor = options.before ? decodeCursor(options.before) : null;
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM meter_runs r JOIN meters m ON m.id = r.meter_id
      WHERE r.workspace_id = $1 AND ($2::uuid IS NULL OR r.meter_id = $2)
        AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
      ORDER BY r.created_at DESC, r.id DESC LIMIT $5`,
    [workspaceId, options.meterId ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return { runs: page.map(toView), next: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}

/** The meter list's "last run" column. */
export interface LastRun {
  id: string;
  status: RunStatus;
  finishedAt: Date | null;
  read: number;
  written: number;
}

/** The latest run of each meter (one index probe per meter), keyed by meter id; meters never run are absent. */
export async function lastRunsOfMeters(workspaceId: string, meterIds: string[], db: pg.Pool = getPool()): Promise<Map<string, LastRun>> {
  if (meterIds.length === 0) return new Map();
  const { rows } = await db.query<{ meter_id: string; id: string; status: RunStatus; finished_at: Date | null; read: string | null; written: string | null }>(
    `SELECT m.id AS meter_id, last.*
       FROM unnest($2::uuid[]) AS m(id)
       CROSS JOIN LATERAL (
         SELECT r.id, r.status, r.finished_at, r.progress->>'read' AS read,
                (SELECT sum(coalesce((t.value->>'inserted')::bigint, 0) + coalesce((t.value->>'replaced')::bigint, 0) + coalesce((t.value->>'sent')::bigint, 0))
                   FROM jsonb_each(CASE WHEN jsonb_typeof(r.progress->'targets') = 'object' THEN r.progress->'targets' ELSE '{}' END) t) AS written
           FROM meter_runs r WHERE r.meter_id = m.id AND r.workspace_id = $1
          ORDER BY r.created_at DESC, r.id DESC LIMIT 1) last`,
    [workspaceId, meterIds],
  );
  return new Map(rows.map((r) => [r.meter_id, { id: r.id, status: r.status, finishedAt: r.finished_at, read: Number(r.read ?? 0), written: Number(r.written ?? 0) }]));
}
