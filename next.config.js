/** @type {import('next').NextConfig} */
module.exports = {
  poweredByHeader: false,
  // The build checks the app's own code; tests, scripts and benches are checked by "npm run typecheck".
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // Server-only packages with native or WASM parts: loaded by Node at run time, not bundled.
  serverExternalPackages: ['pino', 'pino-pretty', 'pg', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
};
