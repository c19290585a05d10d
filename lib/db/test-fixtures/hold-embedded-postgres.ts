// Test fixture (lib/db/embedded-postgres.test.ts): starts the embedded PostgreSQL on the data directory
// given as argument, prints its URL, and holds it until killed (SIGKILL: a crash) or stopped (SIGTERM),
// as `npm start` does.
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';

startEmbeddedPostgres({ dataDir: process.argv[2] }).then(
  (server) => {
    console.log(JSON.stringify({ url: server.url }));
    setInterval(() => undefined, 60_000);
    process.on('SIGTERM', () => server.stop().finally(() => process.exit(0)));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
