import { Readable } from 'node:stream';
import type pg from 'pg';
import type { AppendMethod } from '@/lib/event-store/append-events';
import { createAppender } from '@/lib/event-store/event-appender';
import { isRejection, makeRecordValidator, type DefinitionShape, type Rejection } from '@/lib/event-store/record-validation';
import { byteLimit, readRecords, type IngestFormat } from '@/lib/event-store/ingest/read-records';
import { AppError } from '@/lib/errors';

/** Largest body one ingest request (REST or upload) may send. */
export const MAX_INGEST_BYTES = 256 * 1024 * 1024;
/** Rejections listed in full; beyond this only the count grows. */
export const MAX_LISTED_REJECTIONS = 1000;
/** A rejected record's original text is reported up to this many characters (1,000 of them: at most ~4 MB). */
export const MAX_REJECTED_RECORD_CHARS = 4096;

/** A rejection with the record's original text (`includeRecords`), to fix and send again. */
export interface ReportedRejection extends Rejection {
  /** The line, CSV row (without its line break) or array element as sent; null when it was too long to read. */
  record?: string | null;
  /** True when `record` was cut at MAX_REJECTED_RECORD_CHARS. */
  recordTruncated?: boolean;
}

export interface IngestReport {
  /** Valid records, all stored. */
  accepted: number;
  /** Of the stored events, those whose id was new to the store. */
  inserted: number;
  /** Those that replaced an event already stored under the same id (last write wins). */
  replaced: number;
  rejected: number;
  /** The first MAX_LISTED_REJECTIONS, in input order. */
  rejections: ReportedRejection[];
  rejectionsTruncated: boolean;
  bytes: number;
}

export interface IngestInput {
  pool: pg.Pool;
  store: { id: string; definition: DefinitionShape };
  format: IngestFormat;
  body: ReadableStream<Uint8Array> | Readable;
  maxBytes?: number;
  method?: AppendMethod;
  /** Report each rejected record's original text (capped), e.g. for the console's "download rejected rows". */
  includeRecords?: boolean;
}

/**
 * Streams a body into a store: parse, validate every record against the store's definition, append
 * the valid ones in batches. Bad records are reported by position, field and reason and never hold back
 * their valid neighbours. Each batch commits on its own and writes are idempotent upserts, so a request
 * that fails part-way can simply be sent again. `report` is filled as the stream goes: when this throws, it
 * holds what was stored before the failure (for the audit row).
 */
export async function ingestEvents(input: IngestInput, report: IngestReport = emptyIngestReport()): Promise<IngestReport> {
  const maxBytes = input.maxBytes ?? MAX_INGEST_BYTES;
  const counter = { bytes: 0 };
  const source = input.body instanceof Readable ? input.body : Readable.fromWeb(input.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const limited = source.pipe(byteLimit(maxBytes, () => tooLarge(maxBytes), counter));
  source.on('error', (error) => limited.destroy(error));

  const validate = makeRecordValidator(input.store.definition, { textual: input.format === 'csv' });
  const reject = (rejection: Rejection, text: string | undefined) => {
    report.rejected += 1;
    if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push(input.includeRecords ? withRecord(rejection, text) : rejection);
    else report.rejectionsTruncated = true;
  };
  const appender = createAppender(input.pool, input.store.id, { method: input.method, batchSize: 5000 });
  const flush = async () => {
    report.accepted = await appender.finish();
    report.inserted = appender.inserted;
    report.replaced = appender.replaced;
  };

  try {
    for await (const item of readRecords(limited, input.format)) {
      if ('unreadable' in item) {
        reject({ position: item.position, field: null, reason: item.unreadable }, item.text);
        continue;
      }
      const result = validate(item.record, item.position);
      if (isRejection(result)) reject(result, item.text);
      else await appender.add(result);
    }
    await flush();
  } catch (error) {
    if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') {
      await flush();
      throw new AppError('PAYLOAD_TOO_LARGE', `${error.userMessage} The first ${report.accepted.toLocaleString('en')} valid events were stored; send the rest in another request.`, {
        status: 413,
        details: { accepted: report.accepted, rejected: report.rejected, limitBytes: maxBytes },
      });
    }
    await appender.settle();
    report.accepted = appender.written;
    report.inserted = appender.inserted;
    report.replaced = appender.replaced;
    throw error;
  }
  report.rejections.sort((a, b) => a.position - b.position);
  report.bytes = counter.bytes;
  return report;
}

export function emptyIngestReport(): IngestReport {
  return { accepted: 0, inserted: 0, replaced: 0, rejected: 0, rejections: [], rejectionsTruncated: false, bytes: 0 };
}

function withRecord(rejection: Rejection, text: string | undefined): ReportedRejection {
  if (text === undefined) return { ...rejection, record: null };
  const record = text.replace(/(?:\r\n|\r|\n)$/, '');
  return record.length > MAX_REJECTED_RECORD_CHARS
    ? { ...rejection, record: record.slice(0, MAX_REJECTED_RECORD_CHARS), recordTruncated: true }
    : { ...rejection, record };
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The body is larger than the limit of ${formatBytes(maxBytes)}.`, {
    status: 413,
    details: { limitBytes: maxBytes },
  });
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

const FORMATS: Record<string, IngestFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/json': 'json',
};

/** The format from `?format=` or the Content-Type; a clear 415 otherwise. */
export function ingestFormatOf(request: Request): IngestFormat {
  const explicit = new URL(request.url).searchParams.get('format');
  if (explicit === 'csv' || explicit === 'ndjson' || explicit === 'json') return explicit;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format = FORMATS[type];
  if (!format) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `Send events as application/json (an array), application/x-ndjson (one event per line) or text/csv${type ? `, not ${type}` : ''}; or add ?format=json|ndjson|csv.`,
      { status: 415 },
    );
  }
  return format;
}
