import { afterAll, describe, expect, it } from 'vitest';
import { closePool } from '@/lib/db/pool';
import { readMigrations } from '@/lib/db/migrate';
import { checkHealth } from '@/lib/health/check-health';

describe('checkHealth', () => {
  afterAll(() => closePool());

  it('reports ok with every migration applied on the migrated test database', async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({
      status: 'ok',
      database: 'up',
      migrations: { applied: readMigrations().length, pending: 0 },
    });
  });

  it('reports the database down, without throwing, when it cannot be reached', async () => {
    const saved = process.env.DATABASE_URL;
    await closePool();
    process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:9/none';
    try {
      const health = await checkHealth();
      expect(health).toMatchObject({ status: 'degraded', database: 'down', migrations: null });
    } finally {
      await closePool();
      process.env.DATABASE_URL = saved;
    }
  });
});
