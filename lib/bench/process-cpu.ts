import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used so far, in seconds: this process (Node: the route, the bench's client, the workers, the relay)
 * and the machine's PostgreSQL and NATS server processes, read from Linux's /proc (utime + stime of each
 * process, all its threads). Null where /proc cannot be read (macOS, a locked-down container).
 *
 * On a shared 2-core VM the wall-clock figures move 20-40 % between runs of the same code; CPU per change
 * moves less, and says which side (Node or PostgreSQL) a change costs: the changes suite notes it per figure.
 * Only processes alive at both readings count (a PostgreSQL backend that ends between them is lost), which
 * suits the bench: its pool's backends live through a figure.
 */
export interface CpuSnapshot {
  node: number;
  postgres: number;
  nats: number;
  /** The whole machine (/proc/stat): CPU seconds busy and idle over all its cores, and how many cores. */
  machine: MachineCpu | null;
}

export interface MachineCpu {
  busy: number;
  idle: number;
  cores: number;
}

const TICKS_PER_SECOND = 100;

export function cpuSnapshot(): CpuSnapshot | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const own = process.cpuUsage();
  const snapshot: CpuSnapshot = { node: (own.user + own.system) / 1e6, postgres: 0, nats: 0, machine: machineCpu() };
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    if (stat.command === 'postgres') snapshot.postgres += stat.seconds;
    else if (stat.command === 'nats-server') snapshot.nats += stat.seconds;
  }
  return snapshot;
}

/** A process's command name and CPU seconds from /proc/<pid>/stat; null when it is gone or unreadable. */
export function readStat(pid: string): { command: string; seconds: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command is in parentheses and may hold spaces or parentheses itself: it ends at the last ')'.
  const end = text.lastIndexOf(')');
  const fields = text.slice(end + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (end < 0 || !Number.isFinite(ticks)) return null;
  return { command: text.slice(text.indexOf('(') + 1, end), seconds: ticks / TICKS_PER_SECOND };
}

function machineCpu(): MachineCpu | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The machine's CPU time from /proc/stat's text: the `cpu` line (all cores) split into busy (user, nice,
 * system, irq, softirq) and idle (idle, iowait: waiting for the disk is idle too), and the `cpuN` lines
 * counted. Time the hypervisor gave to other machines (steal) is neither: it was never this machine's.
 */
export function parseProcStat(text: string): MachineCpu | null {
  const total = /^cpu\s+(.*)$/m.exec(text);
  if (!total) return null;
  const [user, nice, system, idle, iowait, irq, softirq] = total[1]!.trim().split(/\s+/).map(Number);
  const cores = text.match(/^cpu\d+\s/gm)?.length ?? 0;
  const values = [user, nice, system, idle, iowait, irq, softirq];
  if (cores === 0 || values.some((v) => v === undefined || !Number.isFinite(v))) return null;
  return { busy: (user! + nice! + system! + irq! + softirq!) / TICKS_PER_SECOND, idle: (idle! + iowait!) / TICKS_PER_SECOND, cores };
}

/**
 * "CPU per change: Node 57 µs, PostgreSQL 49 µs, NATS 4 µs; the machine's 2 cores 81 % busy" between two
 * snapshots; null without them. How busy the cores were says what bounds a figure: near 100 %, the machine's
 * CPU (only less CPU per change makes it faster); well under, some wait (a lock, the disk, one busy thread).
 */
export function cpuPerItem(before: CpuSnapshot | null, after: CpuSnapshot | null, count: number, item: string): string | null {
  if (!before || !after || count <= 0) return null;
  const per = (key: 'node' | 'postgres' | 'nats') => Math.round(((after[key] - before[key]) * 1e6) / count);
  const parts = [`Node ${per('node')} µs`, `PostgreSQL ${per('postgres')} µs`];
  if (per('nats') >= 1) parts.push(`NATS ${per('nats')} µs`);
  const busy = busyShare(before.machine, after.machine);
  return `CPU per ${item}: ${parts.join(', ')} (this machine's processes, from /proc)${busy}`;
}

function busyShare(before: MachineCpu | null, after: MachineCpu | null): string {
  if (!before || !after) return '';
  const busy = after.busy - before.busy;
  const all = busy + after.idle - before.idle;
  if (all <= 0) return '';
  return `; the machine's ${after.cores} core${after.cores === 1 ? '' : 's'} ${Math.round((100 * busy) / all)} % busy`;
}
