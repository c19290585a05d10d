import { Readable } from 'node:stream';

/** A streamed file download (CSV, NDJSON) from text chunks, never cached; memory stays flat at any size. */
export function downloadResponse(chunks: AsyncIterable<string>, file: { contentType: string; fileName: string }): Response {
  const body = Readable.toWeb(Readable.from(utf8(chunks)));
  return new Response(body as ReadableStream, {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    },
  });
}

/** `2026-11-30-05-21-03`, for file names. */
export const fileStamp = (now = new Date()) => now.toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
}

/** A small CSV built in memory, as an attachment. */
export function csvResponse(file: { fileName: string; csv: string }): Response {
  return new Response(file.csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    },
  });
}
