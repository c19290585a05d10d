// Headers every response carries. Pages also get a Content-Security-Policy with a per-request nonce from
// proxy.ts; responses that are not pages get a fixed one here.
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // frame-ancestors 'none' in the policies says the same to current browsers; this is for older ones.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
];
// JSON, CSV and NDJSON: nothing in them may load or run anything.
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
// Scripts, styles and fonts. A script's own policy applies only when it runs as a worker (the Monaco
// editor's): it may import the other same-origin chunks, nothing else.
const STATIC_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** @type {import('next').NextConfig} */
module.exports = {
  poweredByHeader: false,
  // The build checks the app's own code; tests, scripts and benches are checked by "npm run typecheck".
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // Server-only packages with native or WASM parts: loaded by Node at run time, not bundled.
  // Server actions and pages keep Next's default body limits (1 MB, 10 MB through proxy.ts). The Run dialog
  // posts a File-upload meter's file (up to 50 MB) to POST /api/v1/runs instead: a route handler, which
  // proxy.ts's matcher skips, reading the body with its own streaming cap (lib/api/read-form.ts).
  // The NATS client (the JetStream path, NATS_URL) is plain Node networking code: loaded as it is, too.
  serverExternalPackages: ['pg-boss', 'pino', 'pino-pretty', 'pg', 'nodemailer', 'smtp-server', 'mailparser', '@electric-sql/pglite', '@electric-sql/pglite-socket', '@nats-io/transport-node', '@nats-io/jetstream', '@nats-io/nats-core'],
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_POLICY }] },
      { source: '/_next/static/:path*', headers: [{ key: 'Content-Security-Policy', value: STATIC_POLICY }] },
    ];
  },
};
