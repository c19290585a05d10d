import type pg from 'pg';
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { AppError, notFound } from '@/lib/errors';
import { MAX_EVENT_VALUES } from '@/lib/event-store/event-limits';
import { unstorableValue } from '@/lib/event-store/storable-value';
import { meterGraphSchema } from '@/lib/meters/graph';

/** Largest request body a meter's ingest endpoint takes, and most records per request. */
export const MAX_INGEST_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_INGEST_RECORDS = 10_000;
/**
 * Most records a meter may hold waiting for its live run. When the run falls behind (or its worker is gone and
 * the reaper has not yet failed it), further requests are refused instead of growing the buffer without bound.
 * A soft cap: requests checked at the same moment may pass it together by at most their own sizes.
 */
export const MAX_INGEST_BACKLOG = 200_000;

/** Records of one request: a JSON array of objects, or NDJSON (one object per line; blank lines skipped). */
export function parseIngestBody(text: string, ndjson: boolean): Record<string, unknown>[] {
  let items: unknown[];
  if (ndjson) {
    items = [];
    const lines = text.split(/\r\n|\n|\r/);
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        throw refusal(`Line ${i + 1} is not valid JSON; nothing was stored.`);
      }
    }
  } else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw refusal('The request body is not valid JSON (send a JSON array of records, or NDJSON with Content-Type application/x-ndjson); nothing was stored.');
    }
    if (!Array.isArray(body)) throw refusal('Send a JSON array of records (objects), or NDJSON; nothing was stored.');
    items = body;
  }
  if (items.length > MAX_INGEST_RECORDS) throw refusal(`A request may carry at most ${MAX_INGEST_RECORDS.toLocaleString('en')} records; this one has ${items.length.toLocaleString('en')}. Split it.`, 413);
  items.forEach((item, i) => {
    const where = ndjson ? `Record ${i + 1}` : `Record ${i} (0-based)`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw refusal(`${where} is not a JSON object; nothing was stored.`);
    const problem = unstorableValue(item, 0, { left: MAX_EVENT_VALUES });
    if (problem) throw refusal(`${where} ${problem} Nothing was stored.`);
  });
  return items as Record<string, unknown>[];
}

const refusal = (message: string, status = 400) => new AppError(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_RECORDS', message, { status });

/**
 * Buffers records for a started HTTP-ingest meter: one INSERT … SELECT FROM unnest for the whole
 * request (all or nothing), for each HTTP ingest node of the meter's running version. 409 when the
 * meter has no HTTP ingest source or is not started (no live run queued or running).
 */
export async function ingestMeterRecords(
  workspaceId: string,
  meterId: string,
  records: Record<string, unknown>[],
  db: pg.Pool = getPool(),
  { backlogLimit = MAX_INGEST_BACKLOG }: { backlogLimit?: number } = {},
): Promise<{ accepted: number; runId: string }> {
  const meter = z.uuid().safeParse(meterId).success
    ? (
        await db.query<{ id: string; name: string; graph: unknown }>(
          `SELECT m.id, m.name, v.graph FROM meters m LEFT JOIN meter_versions v ON v.meter_id = m.id AND v.version = m.version
            WHERE m.id = $1 AND m.workspace_id = $2`,
          [meterId, workspaceId],
        )
      ).rows[0]
    : undefined;
  if (!meter) throw notFound('That meter');
  const { rows } = await db.query<{ id: string; graph: unknown }>(
    `SELECT r.id, v.graph FROM meter_runs r JOIN meter_versions v ON v.meter_id = r.meter_id AND v.version = r.meter_version
      WHERE r.meter_id = $1 AND r.status IN ('queued', 'running') AND r.scope->>'kind' = 'live' AND r.cancel_requested_at IS NULL
      ORDER BY r.created_at DESC LIMIT 1`,
    [meter.id],
  );
  const live = rows[0];
  if (!live) {
    const hasSource = meter.graph !== null && httpSourcesOf(meter.graph).length > 0;
    if (!hasSource) throw noHttpSource(meter.name);
    throw new AppError('METER_NOT_STARTED', `“${meter.name}” is not started, so records sent now would be lost. Start it (Run on the meter), then send them.`, { status: 409 });
  }
  const nodes = httpSourcesOf(live.graph);
  if (nodes.length === 0) throw noHttpSource(meter.name);
  if (records.length === 0) return { accepted: 0, runId: live.id };
  const waiting = await backlogOf(db, meter.id, backlogLimit);
  if (waiting + records.length * nodes.length > backlogLimit) {
    throw new AppError(
      'INGEST_BACKLOG_FULL',
      `“${meter.name}” already has ${waiting.toLocaleString('en')} records waiting for its live run (at most ${backlogLimit.toLocaleString('en')} may wait), so this request was refused and nothing was stored. ` +
        'Retry later; if the backlog does not shrink, open the run to see whether it is still making progress.',
      { status: 429 },
    );
  }
  await db.query(
    `INSERT INTO meter_ingest_records (meter_id, node_id, record)
     SELECT $1, node, rec FROM unnest($2::text[]) AS n(node) CROSS JOIN unnest($3::jsonb[]) WITH ORDINALITY AS r(rec, i) ORDER BY node, i`,
    [meter.id, nodes, records.map((r) => JSON.stringify(r))],
  );
  return { accepted: records.length, runId: live.id };
}

/** Records waiting for the meter's live run, counted up to `limit` + 1 at most (an index-only count, bounded). */
async function backlogOf(db: pg.Pool, meterId: string, limit: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM meter_ingest_records WHERE meter_id = $1 LIMIT $2) AS waiting`,
    [meterId, limit + 1],
  );
  return rows[0]!.n;
}

const httpSourcesOf = (graph: unknown) => meterGraphSchema.parse(graph).nodes.filter((n) => n.kind === 'source.httpIngest').map((n) => n.id);

const noHttpSource = (name: string) =>
  new AppError('NO_HTTP_SOURCE', `“${name}” has no HTTP ingest source, so it takes no records here. Send events to an event store instead.`, { status: 409 });
