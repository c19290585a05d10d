/**
 * What two basic operations cost on this machine, so figures from different machines can be compared: a
 * system call (`getppid`, which Node's `process.ppid` makes on every read) and touching a page of fresh memory
 * (a 4 KB page the kernel must map and zero: what a process pays for each new page of a large buffer or heap).
 *
 * The changes suite's figures depend on both: Node and PostgreSQL write to sockets, and Node's large strings and
 * buffers come in fresh pages. On the VM these figures were first measured on (a paravirtualised guest with
 * page-table isolation) a system call cost ~1.5-2 µs and a fresh page ~14-16 µs; an ordinary Linux machine
 * does both an order of magnitude faster. Printed by `npm run bench` beside the cores.
 */
export interface MachineCosts {
  /** Microseconds of CPU per system call, including the small cost of calling it from JavaScript. */
  syscallMicros: number;
  /** Microseconds of CPU per 4 KB page of fresh memory touched for the first time; null when not measurable. */
  freshPageMicros: number | null;
}

const SYSCALLS = 50_000;
const FRESH_BYTES = 40 * 1024 * 1024;
const PAGE = 4096;
const ROUNDS = 3;

export function measureMachineCosts(): MachineCosts {
  return { syscallMicros: median(repeat(measureSyscall)), freshPageMicros: measureFreshPage() };
}

function measureSyscall(): number {
  let sum = 0;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < SYSCALLS; i++) sum += process.ppid;
  const cpu = process.cpuUsage(cpuBefore);
  // `sum` keeps the loop from being optimised away.
  return sum === -1 ? NaN : (cpu.user + cpu.system) / SYSCALLS;
}

/**
 * CPU time to write one byte into each page of a 40 MB buffer just allocated: above glibc's largest mmap
 * threshold, so it comes straight from the kernel in fresh pages, and goes back to it when collected. Null
 * when the pages were not fresh (the process took less than one minor fault per 16 pages: memory reused, or
 * a system that does not count faults).
 */
function measureFreshPage(): number | null {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const buffer = Buffer.allocUnsafeSlow(FRESH_BYTES);
    const faultsBefore = process.resourceUsage().minorPageFault;
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < FRESH_BYTES; i += PAGE) buffer[i] = 1;
    const cpu = process.cpuUsage(cpuBefore);
    const faults = process.resourceUsage().minorPageFault - faultsBefore;
    const pages = FRESH_BYTES / PAGE;
    if (faults * 16 < pages) return null;
    rounds.push((cpu.user + cpu.system) / pages);
  }
  return median(rounds);
}

function repeat(measure: () => number): number[] {
  return Array.from({ length: ROUNDS }, measure);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** "a system call 1.2 µs, a fresh 4 KB page 12.5 µs" (or "… not measured" for the page). */
export function describeMachineCosts(costs: MachineCosts): string {
  const micros = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
  return `a system call ${micros(costs.syscallMicros)}, a fresh 4 KB page ${costs.freshPageMicros === null ? 'not measured' : micros(costs.freshPageMicros)}`;
}
