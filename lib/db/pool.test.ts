import net from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@/lib/db/create-pool';
import { closePool, CONNECT_TIMEOUT_MS, getPool, getWorkPool, poolConfig } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { PrismaClient } from '@/lib/generated/prisma/client';

afterAll(async () => {
  await closePool();
  await disconnectPrisma();
});

describe('statement timeouts', () => {
  it('web requests run under 30 s, on the data-plane pool and on Prisma’s; long-running work has none', async () => {
    const show = async (pool: { query: (sql: string) => Promise<{ rows: { statement_timeout: string }[] }> }) => (await pool.query('SHOW statement_timeout')).rows[0]!.statement_timeout;
    expect(await show(getPool())).toBe('30s');
    expect(await show(getWorkPool())).toBe('0');
    const [prisma] = await getPrisma().$queryRawUnsafe<{ statement_timeout: string }[]>('SHOW statement_timeout');
    expect(prisma!.statement_timeout).toBe('30s');
  });
});

describe('connection timeouts', () => {
  // A server that accepts connections and never answers: what a hung or unreachable database looks like.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket));
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((r) => silent.close(r));
  });

  it('a checkout that gets no answer fails after the timeout instead of hanging, on both kinds of pool', async () => {
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `postgresql://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/none`;
    const pool = createPool(poolConfig('requests', url));
    const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig('requests', url)) });
    const started = performance.now();
    const outcomes = await Promise.allSettled([pool.query('SELECT 1'), prisma.$queryRawUnsafe('SELECT 1')]);
    const elapsed = performance.now() - started;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/timeout/i);
    expect(elapsed).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + 5_000);
    await pool.end();
    await prisma.$disconnect().catch(() => undefined);
  }, 30_000);
});
