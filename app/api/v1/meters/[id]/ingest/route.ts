import { NextResponse } from 'next/server';
import { apiRoute, readText } from '@/lib/api/api-route';
import { ingestMeterRecords, MAX_INGEST_BODY_BYTES, parseIngestBody } from '@/lib/runs/meter-ingest';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/meters/{id}/ingest: records for a started meter with an HTTP ingest source, as a JSON
 * array or NDJSON (Content-Type application/x-ndjson). All or nothing per request: 202 with the count
 * accepted (the live run processes them in micro-batches); 409 when the meter is not started.
 */
export const POST = apiRoute<{ id: string }>({ scope: 'meters:ingest', permission: 'events.write' }, async (request, scope, params) => {
  const ndjson = /ndjson|jsonl|x-json-stream/i.test(request.headers.get('content-type') ?? '');
  const records = parseIngestBody(await readText(request, MAX_INGEST_BODY_BYTES), ndjson);
  const result = await ingestMeterRecords(scope.workspaceId, params.id, records);
  return NextResponse.json(result, { status: 202 });
});
