import type pg from 'pg';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import type { IngestFormat } from '@/lib/event-store/ingest/read-records';
import type { IngestReport } from '@/lib/event-store/ingest/ingest-events';
import { isAppError } from '@/lib/errors';

/** Where ingested events came from: a file the console uploaded (its name), or a REST body (its format). */
export interface IngestSource {
  fileName: string | null;
  format: IngestFormat;
}

/**
 * Records one `events.ingested` audit row for one ingest request: who, which store, where the events came
 * from and what became of them. Ingest commits per batch (there is no one transaction to join), so the row
 * is written once the request settles, with the counts actually stored, a failure included.
 */
export async function recordIngestAudit(
  pool: pg.Pool,
  scope: WorkspaceScope,
  store: { id: string; name: string },
  source: IngestSource,
  report: IngestReport,
  failure?: unknown,
): Promise<void> {
  const { accepted, inserted, replaced, rejected } = report;
  await recordAudit(pool, scope, {
    action: 'events.ingested',
    targetType: 'event_store',
    targetId: store.id,
    details: {
      store: store.name,
      ...(source.fileName ? { fileName: source.fileName } : {}),
      format: source.format,
      accepted,
      inserted,
      replaced,
      rejected,
      ...(failure === undefined ? {} : { failed: isAppError(failure) ? failure.code : 'INTERNAL' }),
    },
  });
}

const MAX_FILE_NAME_LENGTH = 255;

/**
 * The uploaded file's name from `X-File-Name` (percent-encoded by the console, since headers are ASCII), or
 * null; only ever shown, so anything undecodable is kept as sent rather than refused.
 */
export function fileNameOf(request: Request): string | null {
  const raw = request.headers.get('x-file-name')?.trim();
  if (!raw) return null;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: keep the raw text.
  }
  return cleanFileName(name);
}

/** A file name as shown: control characters removed, at most 255 characters; null when nothing is left. */
export function cleanFileName(name: string): string | null {
  return name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_FILE_NAME_LENGTH) || null;
}
