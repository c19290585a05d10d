import { AppError } from '@/lib/errors';

/**
 * Parses a multipart/form-data (or urlencoded) body of at most `maxBytes`, counting while it streams: a
 * Content-Length over the cap is refused before anything is read, and a body without one (or lying about
 * it) is cut off at the cap, so the server never buffers more than `maxBytes`. Past the cap it throws
 * `tooLarge()` (a 413 in the caller's words); a body that is not a form is a 400 that says so.
 */
export async function readCappedForm(request: Request, maxBytes: number, tooLarge: () => AppError): Promise<FormData> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  let size = 0;
  let overflowed = false;
  const counted = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          overflowed = true;
          // Erroring the stream cancels the request body: the rest is never read.
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  const contentType = request.headers.get('content-type') ?? '';
  try {
    return await new Response(counted ?? null, { headers: { 'content-type': contentType } }).formData();
  } catch {
    if (overflowed) throw tooLarge();
    throw new AppError('INVALID_FORM', 'The request body is not valid multipart/form-data (send the fields and the file as parts of one form).', {
      status: 400,
    });
  }
}
