import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { withClient } from '@/lib/db/with-client';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'embedded-pg-test-'));
chmodSync(scratch, 0o755); // as root, the server runs as "postgres", which must reach its directory
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts the server from another process (as `npm start` does) and returns that process and the URL. */
async function holdInChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/db/test-fixtures/hold-embedded-postgres.ts', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`holder exited (${code}): ${err}`)));
  });
  return { child, url };
}

const serverPid = (dataDir: string) => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

async function waitForExit(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the embedded PostgreSQL', () => {
  it('is a real PostgreSQL 18 server: separate sessions, COPY FROM STDIN, logical WAL; its temporary directory goes at stop', async () => {
    const server = await startEmbeddedPostgres();
    const dataDir = (await withClient(server.url, (c) => c.query<{ d: string }>("SELECT current_setting('data_directory') AS d"))).rows[0]!.d;
    const a = new pg.Client(server.url);
    const b = new pg.Client(server.url);
    try {
      await Promise.all([a.connect(), b.connect()]);
      expect((await a.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v).toMatch(/^18\./);
      expect((await a.query<{ w: string }>("SELECT current_setting('wal_level') AS w")).rows[0]!.w).toBe('logical');
      // One connection waits on another's lock: impossible with one shared session.
      await a.query('CREATE TABLE t (id int PRIMARY KEY, note text)');
      await a.query('BEGIN');
      await a.query("INSERT INTO t VALUES (1, 'from a')");
      const blocked = b.query("INSERT INTO t VALUES (1, 'from b') ON CONFLICT (id) DO UPDATE SET note = 'b won'");
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('COMMIT');
      await blocked;
      await a.query("SET application_name = 'only-a'");
      expect((await b.query<{ n: string }>("SELECT current_setting('application_name') AS n")).rows[0]!.n).not.toBe('only-a');
      await pipeline(Readable.from(['2\ttwo\n3\tthree\n']), b.query(copyFrom('COPY t (id, note) FROM STDIN')));
      expect((await a.query('SELECT id, note FROM t ORDER BY id')).rows).toEqual([
        { id: 1, note: 'b won' },
        { id: 2, note: 'two' },
        { id: 3, note: 'three' },
      ]);
    } finally {
      await Promise.all([a.end(), b.end()]);
      await server.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('keeps its data across restarts and recovers the lock of a run killed with kill -9, of the console or of the server', async () => {
    const dataDir = path.join(scratch, 'crash');
    const first = await holdInChild(dataDir);
    await withClient(first.url, async (c) => {
      await c.query('CREATE TABLE kept (n int)');
      await c.query('INSERT INTO kept VALUES (1)');
    });
    // kill -9 of the console: its server runs on, orphaned, with the port and postmaster.pid.
    const orphan = serverPid(dataDir);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    process.kill(orphan, 0); // still running

    const second = await holdInChild(dataDir);
    await waitForExit(orphan);
    await withClient(second.url, (c) => c.query('INSERT INTO kept VALUES (2)'));
    // kill -9 of the server itself: a lock file whose process is gone.
    const server = serverPid(dataDir);
    process.kill(server, 'SIGKILL');
    await waitForExit(server);
    second.child.kill('SIGKILL');
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);

    const third = await startEmbeddedPostgres({ dataDir });
    try {
      expect((await withClient(third.url, (c) => c.query('SELECT n FROM kept ORDER BY n'))).rows).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await third.stop();
    }
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('refuses, clearly, a data directory that another running process serves', async () => {
    const dataDir = path.join(scratch, 'busy');
    const holder = await holdInChild(dataDir);
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toMatchObject({
        code: 'EMBEDDED_DB_IN_USE',
        userMessage: expect.stringContaining(`in use by another running process (pid ${holder.child.pid})`),
      });
      await withClient(holder.url, (c) => c.query('SELECT 1')); // untouched
    } finally {
      holder.child.kill('SIGTERM');
      await new Promise((resolve) => holder.child.once('exit', resolve));
    }
  });

  it('names the port when it is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(scratch, 'port'), port })).rejects.toMatchObject({
        code: 'EMBEDDED_DB_PORT_IN_USE',
        userMessage: expect.stringContaining(`Port ${port} for the embedded database is already in use`),
      });
    } finally {
      taken.close();
    }
  });
});
