import type pg from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';
import { createUser, generatePassword } from '@/lib/auth/create-user';
import { seedDemoBilling } from '@/lib/demo/demo-billing';
import { seedDemoMeter } from '@/lib/demo/demo-meter';
import { requireDatabaseUrl } from '@/lib/db/database-url';
import { logger } from '@/lib/logger';
import { DEMO_DAYS, DEMO_DEFINITIONS, DEMO_STORES, DEMO_USER, DEMO_WORKSPACE, SANDBOX_WORKSPACE } from '@/lib/demo/demo-definitions';

export interface SeedReport {
  workspaceId: string;
  eventsInserted: number;
  /** Present when the demo user was created by this run: the only time its password is known. */
  createdUser?: { email: string; password: string };
}

/**
 * Creates (or completes) the demo workspace: its definitions, stores and events, and one saved meter
 * (lib/demo/demo-meter.ts). Idempotent: rows are
 * upserted by their natural keys and events are inserted with ON CONFLICT DO NOTHING, so re-running
 * adds only what is missing and never duplicates.
 */
export async function seedDemo(prisma: PrismaClient, pool: pg.Pool): Promise<SeedReport> {
  const [workspace, sandbox] = await Promise.all(
    [DEMO_WORKSPACE, SANDBOX_WORKSPACE].map((w) =>
      prisma.workspace.upsert({ where: { slug: w.slug }, update: {}, create: { slug: w.slug, name: w.name } }),
    ),
  );
  const createdUser = await ensureDemoUser(prisma, [workspace!.id, sandbox!.id]);
  const definitionIds = new Map<string, string>();
  for (const d of DEMO_DEFINITIONS) {
    const definition = await prisma.eventDefinition.upsert({
      where: { workspaceId_name: { workspaceId: workspace!.id, name: d.name } },
      update: {},
      create: {
        workspaceId: workspace!.id,
        name: d.name,
        description: d.description,
        eventIdField: d.eventIdField,
        eventTimeField: d.eventTimeField,
        fields: d.fields.map((f) => ({ ...f })),
      },
    });
    definitionIds.set(d.name, definition.id);
  }
  let eventsInserted = 0;
  const storeIds = new Map<string, string>();
  for (const s of DEMO_STORES) {
    const store = await prisma.eventStore.upsert({
      where: { workspaceId_name: { workspaceId: workspace!.id, name: s.name } },
      update: {},
      create: {
        workspaceId: workspace!.id,
        name: s.name,
        description: s.description,
        definitionId: definitionIds.get(s.definition)!,
      },
    });
    storeIds.set(s.name, store.id);
    eventsInserted += await insertDemoEvents(pool, store.id, s.name, s.events);
  }
  await seedDemoMeter(prisma, workspace!.id, storeIds.get('api-calls')!);
  await seedChangeCapture(prisma, workspace!);
  return { workspaceId: workspace!.id, eventsInserted, ...(createdUser ? { createdUser } : {}) };
}

/**
 * The demo billing database with its running connector and triggers (lib/demo/demo-billing.ts), acting as
 * the demo owner. A console server that cannot do logical replication skips it (logged); a failure is
 * logged and leaves the rest of the demo seeded.
 */
async function seedChangeCapture(prisma: PrismaClient, workspace: { id: string; name: string }) {
  const owner = await prisma.user.findUnique({ where: { email: DEMO_USER.email }, select: { id: true, email: true } });
  if (!owner) return;
  const scope = { workspaceId: workspace.id, workspaceName: workspace.name, role: 'owner' as const, actor: { type: 'user' as const, id: owner.id, label: owner.email } };
  await seedDemoBilling(prisma, scope, requireDatabaseUrl()).catch((error: unknown) => logger.warn({ err: error }, 'demo change capture not seeded'));
}

async function ensureDemoUser(prisma: PrismaClient, workspaceIds: string[]) {
  if (await prisma.user.findUnique({ where: { email: DEMO_USER.email }, select: { id: true } })) return undefined;
  const password = generatePassword();
  await createUser(prisma, {
    email: DEMO_USER.email,
    name: DEMO_USER.name,
    password,
    memberships: workspaceIds.map((workspaceId) => ({ workspaceId, role: 'owner' as const })),
  });
  return { email: DEMO_USER.email, password };
}

// Generated in the database in one set-based statement per store: deterministic values from the row
// number, times spread over the last DEMO_DAYS days, denser towards today (usage that grows).
const EVENT_SQL: Record<(typeof DEMO_STORES)[number]['name'], string> = {
  'api-calls': `
    SELECT 'req-' || lpad(i::text, 7, '0') AS id, t,
      jsonb_build_object(
        'requestId', 'req-' || lpad(i::text, 7, '0'),
        'occurredAt', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'customerId', 'ACME-' || lpad(((i * 37) % 40 + 1)::text, 3, '0'),
        'endpoint', (ARRAY['/v1/invoices','/v1/usage','/v1/accounts','/v1/payments','/v1/search'])[(i % 5) + 1],
        'region', (ARRAY['eu-west','us-east','ap-south'])[(i % 3) + 1],
        'units', (i * 13) % 20 + 1,
        'latencyMs', round(((i * 7) % 900 + 20) / 3.0, 1)) AS payload`,
  'storage-snapshots': `
    SELECT 'snap-' || lpad(i::text, 7, '0') AS id, t,
      jsonb_build_object(
        'snapshotId', 'snap-' || lpad(i::text, 7, '0'),
        'capturedAt', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'customerId', 'ACME-' || lpad(((i * 17) % 40 + 1)::text, 3, '0'),
        'bucket', 'bucket-' || ((i * 11) % 120 + 1),
        'tier', CASE WHEN i % 4 = 0 THEN 'archive' ELSE 'standard' END,
        'gigabytes', round(((i * 31) % 5000 + 10) / 7.0, 2)) AS payload`,
};

async function insertDemoEvents(pool: pg.Pool, storeId: string, storeName: keyof typeof EVENT_SQL, count: number) {
  const result = await pool.query(
    `WITH anchor AS (SELECT date_trunc('minute', now()) AS at),
          numbered AS (
            SELECT i, (SELECT at FROM anchor) - make_interval(secs => floor($3::bigint * 86400 * (1 - sqrt(((i::bigint * 7919) % 1000003) / 1000003.0)))) AS t
              FROM generate_series(1, $2::int) AS i),
          generated AS (${EVENT_SQL[storeName]} FROM numbered)
     INSERT INTO events (store_id, event_id, event_time, payload)
     SELECT $1::uuid, id, t, payload FROM generated
     ON CONFLICT (store_id, event_id) DO NOTHING`,
    [storeId, count, DEMO_DAYS],
  );
  return result.rowCount ?? 0;
}
