import { describe, expect, it } from 'vitest';
import { cpuPerItem, cpuSnapshot, readStat } from '@/lib/bench/process-cpu';
import { getPool } from '@/lib/db/pool';

const onLinux = process.platform === 'linux';

describe('cpuPerItem', () => {
  it('gives each side’s CPU per item in µs, NATS only when it used some', () => {
    const before = { node: 10, postgres: 20, nats: 1 };
    expect(cpuPerItem(before, { node: 11, postgres: 20.5, nats: 1 }, 10_000, 'change')).toBe("CPU per change: Node 100 µs, PostgreSQL 50 µs (this machine's processes, from /proc)");
    expect(cpuPerItem(before, { node: 10.2, postgres: 20.2, nats: 1.04 }, 10_000, 'change')).toContain('NATS 4 µs');
    expect(cpuPerItem(null, before, 10, 'change')).toBeNull();
    expect(cpuPerItem(before, before, 0, 'change')).toBeNull();
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
    // A server elsewhere (DATABASE_URL of another machine) has no process here to count.
    if (before.postgres > 0) expect(after.postgres - before.postgres).toBeGreaterThan(0.05);
  });
});
