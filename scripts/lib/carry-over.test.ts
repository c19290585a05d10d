import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations, readMigrations } from '@/lib/db/migrate';
import { withClient } from '@/lib/db/with-client';
import { carryOverLegacyData } from './carry-over';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'carry-over-test-'));
chmodSync(scratch, 0o755); // as root, the server runs as "postgres", which must reach .data/postgres
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const WS = '00000000-0000-4000-8000-000000000001';
const DEF = '00000000-0000-4000-8000-000000000002';
const STORE = '00000000-0000-4000-8000-000000000003';

/**
 * A PGlite data directory as an earlier version left it: all but the last migration, then rows in every
 * kind of column, with text that COPY must escape (tabs, newlines, backslashes, "\N", quotes, non-ASCII).
 */
async function makeLegacyDatabase(dir: string, migrationCount: number) {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  // Migrated by the runner itself (so the history is exactly what it writes), through a minimal pg-like
  // client: like pg, a query without parameters may hold several statements (the simple protocol).
  const client = {
    query: async (sql: string, params?: unknown[]) => (params ? db.query(sql, params) : (await db.exec(sql)).at(-1)),
  } as never;
  await applyMigrations(client, readMigrations().slice(0, migrationCount));
  await db.exec(`
    INSERT INTO workspaces (id, slug, name) VALUES ('${WS}', 'legacy', 'Légacy "quotes" \\ tab\there');
    INSERT INTO users (id, name, email, updated_at) VALUES ('u1', E'Ana\\nNewline', 'ana@example.com', now());
    INSERT INTO memberships (workspace_id, user_id, role) VALUES ('${WS}', 'u1', 'owner');
    INSERT INTO event_definitions (id, workspace_id, name, fields, event_id_field, event_time_field, updated_at)
      VALUES ('${DEF}', '${WS}', 'usage', '[{"name":"id","type":"string"}]', 'id', 'at', now());
    INSERT INTO event_stores (id, workspace_id, definition_id, name, activity, lease_owner)
      VALUES ('${STORE}', '${WS}', '${DEF}', 'store', 'writing', NULL);
    INSERT INTO events (store_id, event_id, event_time, payload)
      SELECT '${STORE}', 'e' || g, timestamptz '2026-01-01' + g * interval '1 minute',
             jsonb_build_object('id', 'e' || g, 'n', g, 'text', repeat('x', g % 300), 'pi', 3.14159265358979)
        FROM generate_series(1, 6000) g;
    INSERT INTO events (store_id, event_id, event_time, payload) VALUES
      ('${STORE}', E'tab\\there', '2026-02-01T00:00:00.123Z', '{"s": "line\\nbreak \\\\N \\\\ \\"q\\" é ✓ 😀"}'),
      ('${STORE}', '\\N', '0001-01-01T00:00:00Z', '{"nested": {"a": [1, null, {"b": false}]}}');
    INSERT INTO api_keys (id, workspace_id, name, prefix, secret_hash, scopes, created_by_id)
      VALUES ('00000000-0000-4000-8000-000000000004', '${WS}', 'k', 'umc_ab', 'hash', '{events:write,"a,b"}', NULL);
    INSERT INTO audit_events (workspace_id, actor_type, actor_id, actor_label, action, target_type, target_id, details)
      SELECT '${WS}', 'user', 'u1', 'ana', 'act' || g, 'store', '${STORE}', jsonb_build_object('g', g) FROM generate_series(1, 5) g;
    DELETE FROM audit_events WHERE id = 5;
    INSERT INTO sign_in_attempts (email, address, succeeded) VALUES ('ana@example.com', '127.0.0.1', true);
  `);
  return db;
}

/** Every row of every table of `public` as sorted JSON text, per table. */
async function snapshot(query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>) {
  await query("SET TimeZone = 'UTC'");
  const tables = (await query(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => String(r.t));
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    result[table] = (await query(`SELECT to_jsonb(x)::text AS j FROM "${table}" x ORDER BY 1`)).rows.map((r) => String(r.j));
  }
  return result;
}

describe('carrying over .data/pglite from an earlier version', () => {
  it('copies every row of every table into .data/postgres, then keeps the PGlite files aside', async () => {
    const root = path.join(scratch, 'ok');
    const migrationCount = readMigrations().length - 1;
    const legacy = await makeLegacyDatabase(path.join(root, 'pglite'), migrationCount);
    const before = await snapshot((sql) => legacy.query(sql));
    const nextAuditId = (await legacy.query<{ n: string }>("SELECT nextval('audit_events_id_seq')::text AS n")).rows[0]!.n;
    await legacy.query("SELECT setval('audit_events_id_seq', 5)"); // undo the nextval just taken
    await legacy.close();
    expect(before.events).toHaveLength(6002);

    // Small COPY chunks, so the events table goes over in several.
    await carryOverLegacyData(root, path.join(root, 'postgres'), { chunkPages: 7 });

    const aside = readdirSync(root).find((name) => name.startsWith('pglite.migrated-'));
    expect(aside).toMatch(/^pglite\.migrated-\d{4}-\d{2}-\d{2}$/);
    expect(readdirSync(root).sort()).toEqual([aside, 'postgres', 'postgres.password'].sort());
    const server = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres') });
    try {
      const after = await withClient(server.url, (c) => snapshot((sql) => c.query(sql)));
      expect(after).toEqual(before);
      // The usual migration step then brings the carried-over database up to date.
      const report = await withClient(server.url, (c) => applyMigrations(c));
      expect(report.applied).toEqual(readMigrations().slice(migrationCount).map((m) => m.name));
      const next = await withClient(server.url, (c) => c.query<{ n: string }>("SELECT nextval('audit_events_id_seq')::text AS n"));
      expect(next.rows[0]!.n).toBe(nextAuditId);
    } finally {
      await server.stop();
    }
    // The old files are intact, and a second start carries nothing over again.
    const kept = await PGlite.create(path.join(root, aside!));
    expect((await kept.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n).toBe(6002);
    await kept.close();
    await carryOverLegacyData(root, path.join(root, 'postgres'));
    expect(readdirSync(root).sort()).toEqual([aside, 'postgres', 'postgres.password'].sort());
  });

  it('that fails leaves no .data/postgres and the PGlite files where they were', async () => {
    const root = path.join(scratch, 'fails');
    mkdirSync(path.join(root, 'pglite'), { recursive: true });
    const legacy = await PGlite.create(path.join(root, 'pglite'));
    await legacy.exec(`
      CREATE TABLE "_prisma_migrations" (id text, checksum text, migration_name text, finished_at timestamptz, rolled_back_at timestamptz);
      INSERT INTO "_prisma_migrations" VALUES ('x', 'y', '29990101000000_from_the_future', now(), NULL);
    `);
    await legacy.close();
    await expect(carryOverLegacyData(root, path.join(root, 'postgres'))).rejects.toMatchObject({
      code: 'CARRY_OVER_UNKNOWN_MIGRATION',
      userMessage: expect.stringContaining('29990101000000_from_the_future, which this version does not know'),
    });
    expect(existsSync(path.join(root, 'postgres'))).toBe(false);
    expect(existsSync(path.join(root, 'pglite', 'PG_VERSION'))).toBe(true);
  });
});
