import { describe, expect, it } from 'vitest';
import { cpuPerItem, cpuSnapshot, parseProcStat, readStat } from '@/lib/bench/process-cpu';
import { getPool } from '@/lib/db/pool';

const onLinux = process.platform === 'linux';

describe('cpuPerItem', () => {
  it('gives each side’s CPU per item in µs, NATS only when it used some', () => {
    const before = { node: 10, postgres: 20, nats: 1, machine: null };
    expect(cpuPerItem(before, { node: 11, postgres: 20.5, nats: 1, machine: null }, 10_000, 'change')).toBe("CPU per change: Node 100 µs, PostgreSQL 50 µs (this machine's processes, from /proc)");
    expect(cpuPerItem(before, { node: 10.2, postgres: 20.2, nats: 1.04, machine: null }, 10_000, 'change')).toContain('NATS 4 µs');
    expect(cpuPerItem(null, before, 10, 'change')).toBeNull();
    expect(cpuPerItem(before, before, 0, 'change')).toBeNull();
  });

  it('says how busy the machine’s cores were between the snapshots', () => {
    const at = (busy: number, idle: number) => ({ node: 0, postgres: 0, nats: 0, machine: { busy, idle, cores: 2 } });
    expect(cpuPerItem(at(100, 50), at(116.2, 53.8), 1_000, 'change')).toMatch(/; the machine's 2 cores 81 % busy$/);
    expect(cpuPerItem(at(100, 50), { ...at(0, 0), machine: null }, 1_000, 'change')).not.toContain('busy');
  });
});

describe('parseProcStat', () => {
  const stat = ['cpu  1000 20 300 5000 80 0 100 7 0 0', 'cpu0 500 10 150 2500 40 0 50 3 0 0', 'cpu1 500 10 150 2500 40 0 50 4 0 0', 'intr 12345', 'ctxt 999'].join('\n');

  it('counts user, nice, system, irq and softirq as busy, idle and iowait as idle, and leaves steal out', () => {
    expect(parseProcStat(stat)).toEqual({ busy: 14.2, idle: 50.8, cores: 2 });
  });

  it('answers null for text that is not /proc/stat', () => {
    expect(parseProcStat('intr 1\nctxt 2')).toBeNull();
    expect(parseProcStat('cpu  1 2 x 4 5 6 7\ncpu0 1 2 3 4 5 6 7')).toBeNull();
    expect(parseProcStat('cpu  1 2 3 4 5 6 7')).toBeNull();
  });
});

describe.skipIf(!onLinux)('cpuSnapshot (Linux /proc)', () => {
  it('reads a command name with spaces and parentheses whole', () => {
    expect(readStat(String(process.pid))?.command).toBeTruthy();
    expect(readStat('999999999')).toBeNull();
  });

  it('counts this process’s CPU, and the PostgreSQL server’s when it runs on this machine, as they work', async () => {
    const before = cpuSnapshot()!;
    // A fixed amount of work (not of time: on a busy machine, 300 ms of wall clock may be little CPU).
    let x = 0;
    for (let i = 0; i < 30_000_000; i++) x += Math.sqrt(i + x);
    // PostgreSQL busy for ~300 ms in its backend.
    await getPool().query(`SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = $1`, [x > 0 ? 3 : 4]);
    const after = cpuSnapshot()!;
    expect(after.node - before.node).toBeGreaterThan(0.02);
    // The machine was busy at least as long as this process.
    expect(after.machine!.cores).toBeGreaterThan(0);
    expect(after.machine!.busy - before.machine!.busy).toBeGreaterThanOrEqual(after.node - before.node - 0.05);
    // A server elsewhere (DATABASE_URL of another machine) has no process here to count.
    if (before.postgres > 0) expect(after.postgres - before.postgres).toBeGreaterThan(0.05);
  });
});
