import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { errorResponse } from '@/lib/api/api-route';
import { createPool } from '@/lib/db/create-pool';
import { isStatementTimeout } from '@/lib/db/statement-timeout';
import { PrismaClient } from '@/lib/generated/prisma/client';

// Real timeouts from a real server, through both ways the app talks to it.
const config = { connectionString: process.env.DATABASE_URL!, statement_timeout: 50 };
const pool = createPool(config);
let prisma: PrismaClient;

beforeAll(() => {
  prisma = new PrismaClient({ adapter: new PrismaPg(config) });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('statement timeouts', () => {
  it('are recognised from pg and from Prisma, and answer 503 with advice rather than 500', async () => {
    const fromPg = await pool.query('SELECT pg_sleep(1)').catch((e: unknown) => e);
    const fromPrisma = await prisma.$queryRaw`SELECT pg_sleep(1)`.catch((e: unknown) => e);
    for (const error of [fromPg, fromPrisma]) {
      expect(isStatementTimeout(error)).toBe(true);
      const response = errorResponse(error);
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('60');
      expect(await response.json()).toMatchObject({ error: { code: 'DATABASE_BUSY', message: expect.stringContaining('30 seconds') } });
    }
  });

  it('a server action that hits one says so instead of "something went wrong"', async () => {
    const action = defineAction({ name: 'slow', input: z.object({}), authorize: async () => ({}), run: () => pool.query('SELECT pg_sleep(1)') });
    expect(await action(null, {})).toMatchObject({ ok: false, message: expect.stringContaining('30 seconds') });
  });

  it('other database errors are not taken for timeouts', async () => {
    const syntax = await pool.query('SELEC 1').catch((e: unknown) => e);
    expect(isStatementTimeout(syntax)).toBe(false);
    expect(errorResponse(syntax).status).toBe(500);
    expect(isStatementTimeout(null)).toBe(false);
  });
});
