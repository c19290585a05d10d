import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/api-route';
import { downloadResponse, fileStamp } from '@/lib/api/download-response';
import { getPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { parseEventQuery } from '@/lib/event-store/event-query';
import { exportEvents } from '@/lib/event-store/export-events';
import { findStore } from '@/lib/event-store/get-store';
import { emptyIngestReport, ingestEvents, ingestFormatOf, MAX_INGEST_BYTES, tooLarge } from '@/lib/event-store/ingest/ingest-events';
import { fileNameOf, recordIngestAudit } from '@/lib/event-store/ingest/record-ingest-audit';
import { encodeCursor, scanEvents } from '@/lib/event-store/scan-events';
import { busyError, effectiveActivity } from '@/lib/event-store/store-status';
import { logger } from '@/lib/logger';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/event-stores/{id}/events: ingest a JSON array, NDJSON or CSV body (Content-Type or
 * ?format=). Answers counts and each rejection (position, field, reason; with ?include=records also the
 * record's original text, capped); 413 over the size limit.
 * Each request leaves one audit row (the console's upload names its file in X-File-Name).
 */
export const POST = apiRoute<{ id: string }>({ scope: 'events:write', permission: 'events.write' }, async (request, scope, { id }) => {
  const store = await findStore(scope.workspaceId, id);
  if (effectiveActivity(store) === 'deleting') throw busyError(store, store.name);
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_INGEST_BYTES) throw tooLarge(MAX_INGEST_BYTES);
  const format = ingestFormatOf(request);
  if (!request.body) throw new AppError('EMPTY_BODY', 'The request has no body; send the events in it.', { status: 400 });
  const includeRecords = new URL(request.url).searchParams.get('include') === 'records';
  const source = { fileName: fileNameOf(request), format };
  const report = emptyIngestReport();
  try {
    await ingestEvents({ pool: getPool(), store, format, body: request.body, includeRecords }, report);
  } catch (error) {
    // Batches stored before the failure stay stored: the audit says so. Its own failure must not hide this one.
    await recordIngestAudit(getPool(), scope, store, source, report, error).catch((auditError) => logger.error({ err: auditError }, 'ingest audit failed'));
    throw error;
  }
  await recordIngestAudit(getPool(), scope, store, source, report);
  const nothingValid = report.accepted === 0 && report.rejected > 0;
  return NextResponse.json(report, { status: nothingValid ? 422 : 200 });
});

/**
 * GET /api/v1/event-stores/{id}/events: a page of events (newest first unless order=asc) with a `next`
 * cursor; or, with format=csv|ndjson, the whole matching range as a download.
 */
export const GET = apiRoute<{ id: string }>({ scope: 'stores:read', permission: 'workspace.read' }, async (request, scope, { id }) => {
  const store = await findStore(scope.workspaceId, id);
  const params = new URL(request.url).searchParams;
  const query = parseEventQuery(params, store.definition);
  const format = params.get('format');
  if (format === 'csv' || format === 'ndjson') {
    const chunks = exportEvents(getPool(), store.id, store.definition, { from: query.from, to: query.to, where: query.where }, format);
    return downloadResponse(chunks, {
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      fileName: `${store.name}-${fileStamp()}.${format === 'csv' ? 'csv' : 'ndjson'}`,
    });
  }
  if (format && format !== 'json') {
    throw new AppError('UNSUPPORTED_FORMAT', 'format must be json, csv or ndjson.', { status: 400, fieldErrors: { format: ['Use json, csv or ndjson.'] } });
  }
  const page = await scanEvents(getPool(), store.id, query);
  return {
    data: page.rows.map((r) => ({ eventId: r.eventId, eventTime: r.eventTime, ingestedAt: r.ingestedAt, payload: r.payload })),
    next: page.next ? encodeCursor(page.next) : null,
  };
});
