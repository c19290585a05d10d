import { readBytes } from '@/lib/api/api-route';
import { readCappedForm } from '@/lib/api/read-form';
import { backfillTooLarge } from '@/lib/backfills/preview-backfill';
import { BACKFILL_MAX_BYTES } from '@/lib/backfills/types';
import { AppError } from '@/lib/errors';
import { fileNameOf } from '@/lib/event-store/ingest/record-ingest-audit';

// The multipart framing around the file (boundaries, part headers).
const MAX_FORM_OVERHEAD_BYTES = 16 * 1024;

/**
 * The uploaded backfill file of a request: the `file` part of a multipart/form-data body, or the raw body
 * (text/csv or anything else) named by `X-File-Name`. The size cap is enforced while the body streams, so
 * a larger upload is cut off at the cap (413) without being buffered.
 */
export async function readBackfillUpload(request: Request): Promise<{ name: string; bytes: Buffer }> {
  const headerName = fileNameOf(request);
  if (!request.headers.get('content-type')?.startsWith('multipart/form-data')) {
    return { name: headerName ?? 'backfill.csv', bytes: await readBytes(request, BACKFILL_MAX_BYTES, backfillTooLarge) };
  }
  const form = await readCappedForm(request, BACKFILL_MAX_BYTES + MAX_FORM_OVERHEAD_BYTES, backfillTooLarge);
  const file = form.get('file');
  if (!(file instanceof File)) {
    throw new AppError('INVALID_INPUT', 'Send the CSV file as the form part named “file”.', { status: 400, fieldErrors: { file: ['Choose a CSV file.'] } });
  }
  if (file.size > BACKFILL_MAX_BYTES) throw backfillTooLarge();
  return { name: file.name || headerName || 'backfill.csv', bytes: Buffer.from(await file.arrayBuffer()) };
}
