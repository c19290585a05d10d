import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MeterNode } from '@/lib/meters/graph';
import { createWebhookWriter } from '@/lib/pipeline/writers/webhook-writer';

/** A receiver whose answers the test scripts: each request takes the next status (the last repeats); 0 = never answer. */
let statuses: number[] = [];
let received: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      if (status) res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {}).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage?token=abc`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  statuses = [200];
  received = [];
});

const node: MeterNode = { id: 'hook', kind: 'target.webhook', label: 'Billing', position: { x: 0, y: 0 }, config: {} };
const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, units: i }));
const fast = { backoffMs: 5, timeoutMs: 300 };

describe('webhook writer', () => {
  it('POSTs JSON arrays of batchSize records with the secret header, and counts them as sent', async () => {
    const writer = createWebhookWriter(node, { url, batchSize: 2, secretHeader: 'X-Webhook-Secret' }, { ...fast, secret: 's3cret' });
    expect(await writer.write(records(5))).toEqual({ inserted: 0, replaced: 0, unchanged: 0, sent: 5 });
    expect(received.map((r) => r.body)).toEqual([records(5).slice(0, 2), records(5).slice(2, 4), records(5).slice(4)]);
    expect(received.every((r) => r.headers['x-webhook-secret'] === 's3cret' && r.headers['content-type'] === 'application/json')).toBe(true);
    expect(await writer.write([])).toMatchObject({ sent: 0 });
  });

  it('says in the error how many records of the write were sent before the failing batch', async () => {
    statuses = [200, 200, 400];
    const writer = createWebhookWriter(node, { url, batchSize: 2 }, fast);
    await expect(writer.write(records(5))).rejects.toMatchObject({ code: 'WEBHOOK_FAILED', details: { nodeId: 'hook', sent: 4 } });
  });

  it('retries a 5xx with backoff and goes on when the receiver recovers', async () => {
    statuses = [503, 502, 200];
    const writer = createWebhookWriter(node, { url, batchSize: 10 }, fast);
    expect(await writer.write(records(3))).toMatchObject({ sent: 3 });
    expect(received).toHaveLength(3);
  });

  it('fails after the last retry, naming the node, the address without its query and the status, never the secret', async () => {
    statuses = [500];
    const writer = createWebhookWriter(node, { url, batchSize: 10, secretHeader: 'X-Webhook-Secret' }, { ...fast, secret: 's3cret', attempts: 3 });
    const error = await writer.write(records(1)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'WEBHOOK_FAILED' });
    expect((error as Error).message).toMatch(/^Webhook “Billing”: POST to http:\/\/127\.0\.0\.1:\d+\/usage failed: HTTP 500 Internal Server Error after 3 attempts\./);
    expect((error as Error).message).not.toMatch(/s3cret|token/);
    expect(received).toHaveLength(3);
  });

  it('does not retry a request the receiver refuses (4xx), nor follow a redirect', async () => {
    statuses = [400];
    const writer = createWebhookWriter(node, { url, batchSize: 10 }, fast);
    await expect(writer.write(records(2))).rejects.toThrow(/HTTP 400 Bad Request\. Nothing after this batch was sent\./);
    expect(received).toHaveLength(1);
    statuses = [307];
    await expect(writer.write(records(2))).rejects.toThrow(/HTTP 307 Temporary Redirect\./);
    expect(received).toHaveLength(2);
  });

  it('gives up on a receiver that does not answer, and on one that is not there', async () => {
    statuses = [0];
    const slow = createWebhookWriter(node, { url, batchSize: 10 }, { ...fast, attempts: 2 });
    await expect(slow.write(records(1))).rejects.toThrow(/failed: no answer within 0\.3 s after 2 attempts/);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = createWebhookWriter(node, { url: `http://127.0.0.1:${port}/x`, batchSize: 10 }, { ...fast, attempts: 2 });
    await expect(gone.write(records(1))).rejects.toThrow(/failed: ECONNREFUSED after 2 attempts/);
  });

  it('stops waiting when the run is cancelled', async () => {
    statuses = [503];
    const cancel = new AbortController();
    const writer = createWebhookWriter(node, { url, batchSize: 10 }, { backoffMs: 60_000, signal: cancel.signal });
    const write = writer.write(records(1));
    setTimeout(() => cancel.abort(new Error('cancelled')), 100);
    await expect(write).rejects.toThrow('cancelled');
  });

  it('refuses to start without the secret its header needs', () => {
    expect(() => createWebhookWriter(node, { url, batchSize: 10, secretHeader: 'X-Webhook-Secret' })).toThrow(/set WEBHOOK_SECRET/);
  });
});
