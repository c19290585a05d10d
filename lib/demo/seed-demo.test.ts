import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@/lib/db/create-pool';
import { applyMigrations } from '@/lib/db/migrate';
import { DEMO_DAYS, DEMO_DEFINITIONS, DEMO_STORES, DEMO_USER } from '@/lib/demo/demo-definitions';
import { DEMO_BILLABLE_STORE, DEMO_METER } from '@/lib/demo/demo-meter';
import { meterGraphSchema } from '@/lib/meters/graph';
import { loadMeterContext } from '@/lib/meters/repository';
import { validateMeter } from '@/lib/meters/validate';
import { ensureDemoData } from '@/lib/demo/ensure-demo-data';
import { seedDemo } from '@/lib/demo/seed-demo';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { verifyPassword } from 'better-auth/crypto';
import { createFreshDatabase, withClient, type FreshDatabase } from '@/lib/testing/fresh-database';

describe('demo seed', () => {
  let db: FreshDatabase;
  let pool: pg.Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createFreshDatabase();
    await withClient(db.url, (c) => applyMigrations(c));
    pool = createPool({ connectionString: db.url, max: 2 });
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }) });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  const storeCounts = async () =>
    (
      await pool.query<{ name: string; n: number; days: number }>(
        `SELECT s.name, count(e.*)::int AS n,
                floor(extract(epoch FROM now() - min(e.event_time)) / 86400)::int AS days
           FROM event_stores s LEFT JOIN events e ON e.store_id = s.id WHERE s.name <> $1 GROUP BY s.name ORDER BY s.name`,
        [DEMO_BILLABLE_STORE.name],
      )
    ).rows;

  it('creates two definitions and two stores with at least 50,000 events over the last 90 days, and the demo meter', async () => {
    const report = await ensureDemoData(prisma, pool);
    expect(report?.eventsInserted).toBe(DEMO_STORES.reduce((n, s) => n + s.events, 0));
    expect(report?.createdUser?.email).toBe(DEMO_USER.email);
    expect(report?.createdUser?.password.length).toBeGreaterThanOrEqual(20);
    expect(await prisma.eventDefinition.count()).toBe(DEMO_DEFINITIONS.length + 1);
    const counts = await storeCounts();
    expect(counts.map((c) => c.name)).toEqual(['api-calls', 'storage-snapshots']);
    for (const c of counts) {
      expect(c.n).toBeGreaterThanOrEqual(50_000);
      expect(c.days).toBeLessThan(DEMO_DAYS);
      expect(c.days).toBeGreaterThanOrEqual(DEMO_DAYS - 2);
    }
  });

  it('re-seeding adds nothing, duplicates nothing and keeps the password; first-start seeding skips a database with users', async () => {
    const before = await storeCounts();
    const again = await seedDemo(prisma, pool);
    expect(again.eventsInserted).toBe(0);
    expect(await storeCounts()).toEqual(before);
    expect(await prisma.workspace.count()).toBe(2);
    expect(await prisma.user.count()).toBe(1);
    expect(again.createdUser).toBeUndefined();
    expect(await ensureDemoData(prisma, pool)).toBeNull();
  });

  it('saves the demo meter as version 1, valid by the meter rules, with both its stores in use', async () => {
    const meter = await prisma.meter.findFirstOrThrow({ where: { name: DEMO_METER.name }, include: { versions: true, stores: { include: { store: true } } } });
    expect(meter.version).toBe(1);
    expect(meter.stores.map((s) => `${s.role}:${s.store.name}`).sort()).toEqual(['source:api-calls', `target:${DEMO_BILLABLE_STORE.name}`]);
    const context = await loadMeterContext(meter.workspaceId, prisma);
    expect(validateMeter(meterGraphSchema.parse(meter.versions[0]!.graph), context).filter((p) => p.severity === 'error')).toEqual([]);
    await seedDemo(prisma, pool);
    expect(await prisma.meterVersion.count({ where: { meterId: meter.id } })).toBe(1);
  });

  it('stores each event with its payload id and time matching the definition fields', async () => {
    const { rows } = await pool.query(
      `SELECT event_id, event_time, payload FROM events e JOIN event_stores s ON s.id = e.store_id
        WHERE s.name = 'api-calls' ORDER BY event_id LIMIT 1`,
    );
    const row = rows[0];
    expect(row.payload.requestId).toBe(row.event_id);
    expect(new Date(row.payload.occurredAt).getTime()).toBe(row.event_time.getTime());
    expect(Number.isInteger(row.payload.units)).toBe(true);
  });
});

describe('the demo account', () => {
  it('is an owner of the demo and sandbox workspaces and can sign in with the printed password', async () => {
    const db = await createFreshDatabase();
    const pool = createPool({ connectionString: db.url, max: 2 });
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }) });
    try {
      await withClient(db.url, (c) => applyMigrations(c));
      const report = await seedDemo(prisma, pool);
      const account = await prisma.account.findFirstOrThrow({ where: { user: { email: DEMO_USER.email } } });
      expect(await verifyPassword({ hash: account.password!, password: report.createdUser!.password })).toBe(true);
      expect(account.password).not.toContain(report.createdUser!.password);
      const roles = await prisma.membership.findMany({ where: { userId: account.userId }, select: { role: true, workspace: { select: { slug: true } } } });
      expect(roles.map((r) => `${r.workspace.slug}:${r.role}`).sort()).toEqual(['demo:owner', 'sandbox:owner']);
    } finally {
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
    }
  });
});
