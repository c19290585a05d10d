import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_TYPE, makeRouteClient } from '@/app/api/v1/event-stores/[id]/events/route-test-client';
import { checkHealth } from '@/lib/health/check-health';

let client: Awaited<ReturnType<typeof makeRouteClient>>;
const good = (id: string) => JSON.stringify({ id, at: '2026-01-01T00:00:00Z', units: 1 });
beforeAll(async () => {
  client = await makeRouteClient(EVERY_TYPE);
  // The first health check and the first request of a process open connections, read the migration files
  // and instantiate Prisma's query compiler (WebAssembly): one-time costs, not what is measured here.
  await checkHealth();
  await client.post((await client.newStore()).id, `${good('warm')}\n`, 'application/x-ndjson');
});

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A streamed body: the text parts in order, `{ repeat, times }` parts as that text repeated in 64 KiB chunks (never one big string). */
function body(...parts: (string | { repeat: string; times: number })[]): ReadableStream<Uint8Array> {
  async function* chunks() {
    for (const part of parts) {
      if (typeof part === 'string') {
        yield Buffer.from(part);
        continue;
      }
      const block = Buffer.from(part.repeat.repeat(Math.ceil(CHUNK / part.repeat.length)));
      let left = part.times * part.repeat.length;
      while (left > 0) {
        const piece = block.subarray(0, Math.min(left, block.length));
        left -= piece.length;
        yield piece;
      }
    }
  }
  return Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>;
}

/**
 * Watches the event loop while `work` runs: a 10 ms timer's worst lateness, and the worst latency of
 * the health check (a real database round trip) asked every 50 ms: what /api/health would answer.
 */
async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ result: T; timerLagMs: number; healthMs: number; ms: number }> {
  let timerLagMs = 0;
  let healthMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    timerLagMs = Math.max(timerLagMs, now - last - 10);
    last = now;
  }, 10);
  let asking = true;
  const health = (async () => {
    while (asking) {
      const started = performance.now();
      expect((await checkHealth()).status).toBe('ok');
      healthMs = Math.max(healthMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const started = performance.now();
  try {
    const result = await work();
    return { result, timerLagMs, healthMs, ms: performance.now() - started };
  } finally {
    asking = false;
    clearInterval(timer);
    await health;
  }
}

/** The start of an event that is valid in every way but its size: a 100 MB note follows. */
const BIG_START = '{"id":"big","at":"2026-01-01T00:00:00Z","units":1,"note":"';

/** Sends `parts` to a new store while watching the event loop; prints the figures and checks both stay under 200 ms. */
async function sendWatched(name: string, contentType: string, parts: Parameters<typeof body>) {
  const store = await client.newStore();
  const watch = await watchEventLoop(async () => {
    const response = await client.post(store.id, body(...parts), contentType);
    return { status: response.status, report: await response.json() };
  });
  console.info(`${name}: answered ${watch.result.status} in ${Math.round(watch.ms)} ms; timer late by at most ${Math.round(watch.timerLagMs)} ms; health check at most ${Math.round(watch.healthMs)} ms`);
  expect(watch.timerLagMs).toBeLessThan(200);
  expect(watch.healthMs).toBeLessThan(200);
  return watch.result;
}

describe('a huge line or header never holds the event loop, and is refused as what it is', () => {
  it('NDJSON: a 100 MB line is rejected as that line; the lines around it are stored', async () => {
    const result = await sendWatched('NDJSON 100 MB line', 'application/x-ndjson', [`${good('a')}\n${BIG_START}`, { repeat: 'x', times: 100 * MB }, `"}\n${good('b')}`]);
    expect(result.status).toBe(200);
    expect(result.report).toMatchObject({ accepted: 2, rejected: 1, rejections: [{ position: 2, field: null, reason: expect.stringMatching(/1 MiB/) }] });
  });

  it('JSON array: a 100 MB element is rejected as that element; the elements around it are stored', async () => {
    const result = await sendWatched('JSON array 100 MB element', 'application/json', [`[${good('a')},${BIG_START}`, { repeat: 'x', times: 100 * MB }, `"},${good('b')}]`]);
    expect(result.status).toBe(200);
    expect(result.report).toMatchObject({ accepted: 2, rejected: 1, rejections: [{ position: 1, field: null, reason: expect.stringMatching(/1 MiB/) }] });
  });

  it('CSV: a 10-million-column row and a 100 MB row are rejected as those lines; the rows around them are stored', async () => {
    const result = await sendWatched('CSV 10M-column row + 100 MB row', 'text/csv', [
      'id,at,units,note\na,2026-01-01T00:00:00Z,1,\n',
      { repeat: ',', times: 10_000_000 },
      '\nbig,2026-01-01T00:00:00Z,1,',
      { repeat: 'x', times: 100 * MB },
      '\nb,2026-01-01T00:00:00Z,2,\n',
    ]);
    expect(result.status).toBe(200);
    expect(result.report).toMatchObject({ accepted: 2, rejected: 2, rejections: [{ position: 3, field: null }, { position: 4, field: null }] });
  });

  it('CSV: a 10-million-column header is refused with a 400 that names line 1', async () => {
    const result = await sendWatched('CSV 10M-column header', 'text/csv', ['id,at,units', { repeat: ',x', times: 10_000_000 }, '\na,2026-01-01T00:00:00Z,1\n']);
    expect(result.status).toBe(400);
    expect(result.report.error.message).toMatch(/^The CSV header \(line 1\) is longer than 1 MiB/);
  });

  it('CSV: a header of 1,001 columns (under 1 MiB) is refused too, and so is a row of more columns than its header', async () => {
    const header = await sendWatched('CSV 1,001-column header', 'text/csv', [`id,at,units${',x'.repeat(998)}\n`]);
    expect(header.report.error.message).toBe('The CSV header (line 1) has 1,001 columns; the limit is 1,000. The first row must name the definition’s fields.');
    const row = await sendWatched('CSV 500,000-column row', 'text/csv', ['id,at,units\n', { repeat: ',', times: 500_000 }, '\na,2026-01-01T00:00:00Z,1\n']);
    expect(row.report).toMatchObject({ accepted: 1, rejections: [{ position: 2, field: null, reason: 'Not a valid CSV row: it has 500,001 columns; the header has 3.' }] });
  });
});
