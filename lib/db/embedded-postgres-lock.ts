import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/errors';

const STOP_TIMEOUT_MS = 30_000;

/**
 * Makes a persistent cluster startable after a crash. PostgreSQL refuses to start while `postmaster.pid`
 * names a live process, and a run that was killed (kill -9 of the console) leaves its server running on,
 * orphaned, holding the port and the lock. So, before starting:
 * - no lock, or a lock whose process is gone: nothing to do (PostgreSQL removes a stale lock itself);
 * - the lock names a live process that is not PostgreSQL (the pid was reused): remove the lock;
 * - a PostgreSQL whose parent is still a running Node process (another console): refuse, clearly;
 * - an orphaned PostgreSQL: ask it to shut down (fast: open transactions roll back) and wait.
 */
export async function recoverStaleLock(dataDir: string): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number.parseInt(readFileSync(lockFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const server = describeProcess(pid);
  if (!server || !server.command.includes('postgres')) {
    rmSync(lockFile, { force: true });
    return;
  }
  const parent = describeProcess(server.ppid);
  if (parent && parent.pid !== 1 && parent.pid !== process.pid && parent.command.includes('node')) {
    throw new AppError(
      'EMBEDDED_DB_IN_USE',
      `The embedded database in ${dataDir} is in use by another running process (pid ${parent.pid}). ` +
        'Stop that console first.',
    );
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new AppError(
        'EMBEDDED_DB_STALE',
        `The embedded database left running by an earlier run (pid ${pid}) did not stop. Stop it and start again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent pid and command name of a process, through `ps` (the same on Linux and macOS). */
function describeProcess(pid: number): { pid: number; ppid: number; command: string } | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'ppid=', '-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const match = /^(\d+)\s+(.*)$/.exec(out);
    return match ? { pid, ppid: Number(match[1]), command: match[2]! } : undefined;
  } catch {
    return undefined;
  }
}
