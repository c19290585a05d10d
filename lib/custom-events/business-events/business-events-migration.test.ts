import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '@/lib/db/migrate';
import { createFreshDatabase, withClient, type FreshDatabase } from '@/lib/testing/fresh-database';

const MIGRATION = '20261130222207_business_events_reference_changes';

/**
 * The migration that stops business events copying their change: existing events keep their condition
 * (moved to trigger_versions) and read the same values through object_changes, whether their trigger still
 * exists or was deleted.
 */
describe(`migration ${MIGRATION}`, () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await createFreshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('moves each event’s condition to trigger_versions and keeps its values readable through its change', async () => {
    const all = readMigrations();
    const at = all.findIndex((m) => m.name === MIGRATION);
    expect(at).toBeGreaterThan(0);
    const [workspace, trigger] = [randomUUID(), randomUUID()];
    await withClient(db.url, async (c) => {
      await applyMigrations(c, all.slice(0, at));
      await c.query(`INSERT INTO workspaces (id, slug, name) VALUES ($1, 'mig', 'Migration')`, [workspace]);
      await c.query(
        `INSERT INTO triggers (id, workspace_id, event_type, base_object, condition, version, updated_at) VALUES ($2, $1, 'InvoicePosted', 'Invoice', 'Invoice.Amount > 2', 2, now())`,
        [workspace, trigger],
      );
      await c.query(
        `INSERT INTO object_changes (id, workspace_id, source, object, record_id, change_type, current, previous, changed_fields, changed_at)
         VALUES (1, $1, 'api', 'Invoice', 'I1', 'UPDATE', '{"Amount": 5}', '{"Amount": 1}', '{Amount}', '2026-11-30T10:00:00Z'),
                (2, $1, 'api', 'Invoice', 'I2', 'UPDATE', '{"Amount": 7}', '{"Amount": 3}', '{Amount}', '2026-11-30T11:00:00Z')`,
        [workspace],
      );
      const copy = `SELECT $1::uuid, $2::uuid, $3::int, $4, 'InvoicePosted', c.id, c.object, c.record_id, c.change_type, c.current, c.previous, c.changed_fields, c.changed_at, c.changed_at::date FROM object_changes c WHERE c.id = $5`;
      const insert = `INSERT INTO business_events (workspace_id, trigger_id, trigger_version, condition, event_type, change_id, object, record_id, change_type, current, previous, changed_fields, changed_at, fire_date) `;
      await c.query(insert + copy, [workspace, trigger, 1, 'Invoice.Amount > 0', 1]);
      await c.query(insert + copy, [workspace, trigger, 2, 'Invoice.Amount > 2', 2]);
      await c.query(insert + copy, [workspace, null, 4, 'Invoice.Amount > 4', 2]);
      await applyMigrations(c, all);
      const { rows } = await c.query(
        `SELECT e.trigger_id, e.trigger_version, v.condition, c.current, c.previous, c.changed_fields
           FROM business_events e JOIN object_changes c ON c.id = e.change_id JOIN trigger_versions v ON v.id = e.trigger_version_id
          ORDER BY e.trigger_version`,
      );
      expect(rows).toEqual([
        { trigger_id: trigger, trigger_version: 1, condition: 'Invoice.Amount > 0', current: { Amount: 5 }, previous: { Amount: 1 }, changed_fields: ['Amount'] },
        { trigger_id: trigger, trigger_version: 2, condition: 'Invoice.Amount > 2', current: { Amount: 7 }, previous: { Amount: 3 }, changed_fields: ['Amount'] },
        { trigger_id: null, trigger_version: 4, condition: 'Invoice.Amount > 4', current: { Amount: 7 }, previous: { Amount: 3 }, changed_fields: ['Amount'] },
      ]);
      expect((await c.query(`SELECT count(*)::int AS n FROM trigger_versions WHERE workspace_id = $1`, [workspace])).rows[0].n).toBe(3);
    });
  });
});
