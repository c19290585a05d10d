/**
 * The shapes of a backfill (deleting events from an event store by CSV), shared by the server and the browser.
 * Framework-free: no imports, so a client component may read it.
 */

export const BACKFILL_MAX_ROWS = 1000;
export const BACKFILL_MAX_BYTES = 1_048_576; // the upload's size cap (1 MiB), checked while streaming
export type BackfillStatus = 'previewed' | 'completed' | 'undone' | 'failed';

/** One CSV row that does not match a stored event. */
export interface UnmatchedRow {
  line: number;
  eventId: string;
  eventTime: string;
  reason: 'no event with this id' | 'the stored event has another event time';
  storedEventTime?: string;
}

export interface BackfillView {
  id: string;
  store: { id: string; name: string };
  status: BackfillStatus;
  fileName: string;
  sha256: string; // hex of the uploaded bytes
  requested: number; // data rows in the file
  matched: number; // rows matching a stored event (id AND event time) at preview
  notFound: number; // requested - matched
  deleted: number | null; // set when completed: events actually deleted at confirm
  /** Event-time span of the deleted events (ISO), for the replay offer; null until completed or when none. */
  frame: { from: string; to: string } | null; // to = latest deleted event time + 1 ms (half-open [from, to))
  undo: { restored: number; skipped: number; skippedIds: string[] } | null; // skipped = newer events with the same id
  createdBy: string;
  createdAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  undoneBy: string | null;
  undoneAt: string | null;
  /** Meters whose saved latest version writes this store (meter_stores role target), for the replay offer. */
  writerMeters: { id: string; name: string }[];
}

/** A backfill with the first 20 unmatched rows of its file. */
export interface BackfillPreview extends BackfillView {
  unmatchedSample: UnmatchedRow[];
}
