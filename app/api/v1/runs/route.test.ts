import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as startRunRoute } from '@/app/api/v1/runs/route';
import { getPool } from '@/lib/db/pool';
import { stopRunQueue } from '@/lib/runs/queue';
import { MAX_RUN_FILE_BYTES } from '@/lib/runs/run-shape';
import { makeTenant, sessionCookie } from '@/lib/testing/factories';
import { makeCopyMeter } from '@/lib/testing/run-fixtures';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let fileMeterId: string;
let cookie: string;
const params = { params: Promise.resolve({}) };
const NDJSON = '{"id":"1","at":"2026-01-01T00:00:00Z"}\n{"id":"2","at":"2026-01-01T00:01:00Z"}\n';

/** The Run dialog's form for a File-upload meter, as startFileRun posts it. */
function runForm(meterId: string, idempotencyKey = randomUUID(), content = NDJSON): FormData {
  const form = new FormData();
  form.set('meterId', meterId);
  form.set('scope', JSON.stringify({ kind: 'file', fileName: 'calls.ndjson' }));
  form.set('dryRun', 'true');
  form.set('errorPolicy', 'skip');
  form.set('idempotencyKey', idempotencyKey);
  form.set('file', new File([content], 'calls.ndjson', { type: 'application/x-ndjson' }));
  return form;
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  startRunRoute(new Request('http://localhost/api/v1/runs', { method: 'POST', headers: { cookie, host: 'localhost', ...headers }, body, duplex: 'half' } as RequestInit), params);

/** A multipart body that never ends on its own: counts what the server pulled, and stops at `limit` bytes. */
function endlessMultipart(limit: number) {
  const boundary = 'endless-boundary';
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.ndjson"\r\n\r\n`);
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  const seen = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= limit) return controller.close();
      const next = seen.pulled === 0 ? head : chunk;
      seen.pulled += next.byteLength;
      controller.enqueue(next);
    },
  });
  return { stream, seen, contentType: `multipart/form-data; boundary=${boundary}` };
}

const runsOf = async (meterId: string) => Number((await getPool().query(`SELECT count(*) FROM meter_runs WHERE meter_id = $1`, [meterId])).rows[0].count);

beforeAll(async () => {
  a = await makeTenant();
  fileMeterId = (await makeCopyMeter(a, { source: 'file' })).meter.id;
  cookie = await sessionCookie(a.editor.email);
});
afterAll(() => stopRunQueue());

describe('POST /api/v1/runs with a file (multipart/form-data, the Run dialog’s path)', () => {
  it('starts a File-upload run from the signed-in console, keeping the file with the run; the same key answers the same run', async () => {
    const key = randomUUID();
    const response = await post(runForm(fileMeterId, key), { origin: 'http://localhost' });
    expect(response.status).toBe(201);
    const { run } = await response.json();
    expect(run).toMatchObject({ meterId: fileMeterId, scope: { kind: 'file', fileName: 'calls.ndjson' }, dryRun: true });
    const input = await getPool().query(`SELECT file_name, content FROM meter_run_inputs WHERE run_id = $1`, [run.id]);
    expect(input.rows.map((r) => [r.file_name, r.content.toString('utf8')])).toEqual([['calls.ndjson', NDJSON]]);
    const again = await post(runForm(fileMeterId, key), { origin: 'http://localhost' });
    expect(again.status).toBe(200);
    expect((await again.json()).run.id).toBe(run.id);
  });

  it('refuses the same form posted with the cookie from another site (a cross-site HTML form), starting nothing', async () => {
    const before = await runsOf(fileMeterId);
    for (const origin of ['https://evil.example', 'null']) {
      const response = await post(runForm(fileMeterId), { origin });
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toMatch(/^Cross-site request refused/);
    }
    expect(await runsOf(fileMeterId)).toBe(before);
  });

  it('refuses a Content-Length over the cap with 413 before reading any of the body', async () => {
    const { stream, seen, contentType } = endlessMultipart(60 * 1024 * 1024);
    const response = await post(stream, { 'content-type': contentType, 'content-length': String(MAX_RUN_FILE_BYTES + 1024 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', fieldErrors: { file: ['Larger than the limit.'] } });
    expect(seen.pulled).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('cuts off a body without Content-Length at the cap (413), never reading far past it', async () => {
    const before = await runsOf(fileMeterId);
    const { stream, seen, contentType } = endlessMultipart(80 * 1024 * 1024);
    const response = await post(stream, { 'content-type': contentType });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toMatch(/^A run takes files of up to 50 MB/);
    // The cap plus what the stream had queued ahead (a few 1 MB chunks), far from the 80 MB offered.
    expect(seen.pulled).toBeLessThan(MAX_RUN_FILE_BYTES + 8 * 1024 * 1024);
    expect(await runsOf(fileMeterId)).toBe(before);
  });

  it('answers a body that is not a form with 400 naming the problem', async () => {
    const response = await post('this is not multipart', { 'content-type': 'multipart/form-data; boundary=nothing-here' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('INVALID_FORM');
  });

  it('refuses a file field sent as text, naming the file field', async () => {
    const form = runForm(fileMeterId);
    form.set('file', 'not a file');
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fieldErrors)).toContain('file');
  });

  it('refuses a file whose name PostgreSQL cannot store (a NUL byte in the part header), naming the file field', async () => {
    const boundary = 'nul-name';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n\r\n${value}\r\n`;
    const body =
      part('meterId', fileMeterId) +
      part('scope', JSON.stringify({ kind: 'file', fileName: 'calls.ndjson' })) +
      part('idempotencyKey', randomUUID()) +
      part('file', NDJSON, 'calls\u0000.ndjson') +
      `--${boundary}--\r\n`;
    const before = await runsOf(fileMeterId);
    const response = await post(body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors.file[0]).toMatch(/^The file's name contains a NUL character/);
    expect(await runsOf(fileMeterId)).toBe(before);
  });
});
