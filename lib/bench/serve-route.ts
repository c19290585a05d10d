import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A Next.js App Router handler as a route file exports it, e.g. `POST`. */
export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ServedRoute {
  /** `http://127.0.0.1:<port>`, a free port picked by the system. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves one route handler from a plain `node:http` server in this process, so a benchmark or test can
 * call it over real HTTP without a Next build. `path` matches the URL path; its named groups become the
 * handler's params. The request body reaches the handler as a stream, and the response streams back.
 */
export async function serveRoute(handler: RouteHandler, path: RegExp): Promise<ServedRoute> {
  const server = http.createServer((req, res) => {
    respond(handler, path, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`serveRoute: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function respond(handler: RouteHandler, path: RegExp, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const match = path.exec(url.pathname);
  if (!match) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`No route for ${url.pathname}`);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const response = await handler(request, { params: Promise.resolve({ ...match.groups }) });
  const outgoing: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outgoing['set-cookie'] = cookies;
  res.writeHead(response.status, outgoing);
  if (response.body) await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res);
  else res.end();
}

const keepAlive = new http.Agent({ keepAlive: true });

/**
 * POSTs `body` and answers the status and the response text: the benches' HTTP client. node:http with kept-alive
 * connections rather than fetch: the client shares the machine (and its two cores) with the route it measures,
 * and undici's web streams cost it several times the CPU for the same bytes. The body is bytes, encoded
 * before the clock starts, as a sender elsewhere would: a string costs this process a flattening and UTF-8
 * copy per request (some 300 KB each, in pages faulted in afresh), which is the client's work, not the route's.
 */
export function post(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: keepAlive, headers: { ...headers, 'content-length': body.length } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
