import { describe, expect, it } from 'vitest';
import { readJson } from '@/lib/api/api-route';

const request = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/v1/event-stores', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

/** A body streamed in 64 KiB pieces with no Content-Length, counting how much the server pulled. */
function streamed(totalBytes: number) {
  const pulled = { bytes: 0 };
  const piece = new TextEncoder().encode(' '.repeat(64 * 1024));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= totalBytes) return controller.close();
      pulled.bytes += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { body, pulled };
}

describe('readJson', () => {
  it('parses a JSON body and answers malformed JSON with a 400', async () => {
    expect(await readJson(request('{"name":"api-calls"}'))).toEqual({ name: 'api-calls' });
    await expect(readJson(request('{"name":'))).rejects.toMatchObject({ code: 'INVALID_JSON', status: 400 });
  });

  it('refuses a body over the limit by its Content-Length, before reading it', async () => {
    await expect(readJson(request('{}', { 'content-length': String(2 * 1024 * 1024) }))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      userMessage: 'The request body is larger than the limit of 1,048,576 bytes.',
    });
  });

  it('stops reading a streamed body without Content-Length once it passes the limit', async () => {
    const { body, pulled } = streamed(1024 * 1024 * 1024);
    await expect(readJson(request(body))).rejects.toMatchObject({ status: 413 });
    expect(pulled.bytes).toBeLessThan(2 * 1024 * 1024);
  });
});
