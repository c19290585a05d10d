import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { AppError } from '@/lib/errors';

export interface EmbeddedPostgres {
  /** A connection string for `pg` and Prisma's adapter. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory that holds the data; omitted = in memory (tests). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Connections share one PGlite session (queries are queued), so keep pools small and transactions short:
   * a transaction that awaits a second connection deadlocks. See docs/ARCHITECTURE.md.
   */
  maxConnections?: number;
}

/**
 * Starts PostgreSQL compiled to WASM (PGlite) and serves it on a loopback TCP port, so the app, Prisma and
 * `pg` talk to it exactly as to a real server. Used when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const port = options.port === undefined || options.port === 0 ? await findFreePort() : options.port;
  if (!(await isPortFree(port))) {
    throw new AppError(
      'EMBEDDED_DB_PORT_IN_USE',
      `Port ${port} for the embedded database is already in use (is another "npm start" running?). ` +
        'Stop it, or set EMBEDDED_DB_PORT to another port.',
    );
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({
    db,
    port,
    host: '127.0.0.1',
    maxConnections: options.maxConnections ?? 12,
  });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
