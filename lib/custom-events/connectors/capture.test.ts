import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskConnection, replicationNames } from '@/lib/custom-events/connectors/connector-schema';
import { listConnectors } from '@/lib/custom-events/connectors/read-connectors';
import { startConnectorRunner, type ConnectorRunner, type RunnerOptions } from '@/lib/custom-events/connectors/runner';
import { createConnector, deleteConnector, setConnectorState } from '@/lib/custom-events/connectors/save-connector';
import { openSourceUrl, slotLag, withSource } from '@/lib/custom-events/connectors/source';
import { createPool } from '@/lib/db/create-pool';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { getWorkPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { sealLegacySecrets, sealSecret } from '@/lib/security/secrets-at-rest';
import { makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { DEMO_CONNECTOR_NAME, generateActivity, seedDemoBilling } from '@/lib/demo/demo-billing';

// The console's database (DATABASE_URL) may be a wal_level=replica server, so the billing source is an
// embedded PostgreSQL 18 of this file's own (about 3 s to start), shared by its tests.
let source: EmbeddedPostgres;
let sql: pg.Pool;
const runners: ConnectorRunner[] = [];

beforeAll(async () => {
  source = await startEmbeddedPostgres();
  sql = createPool({ connectionString: source.url, max: 4 });
  await sql.query(`
    CREATE TABLE invoices (id text PRIMARY KEY, status text NOT NULL, total numeric(12,2), due_date date, note text);
    ALTER TABLE invoices REPLICA IDENTITY FULL;
    CREATE TABLE accounts (id serial PRIMARY KEY, name text, balance numeric);`);
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  await sql?.end();
  await source?.stop();
  await disconnectPrisma();
});

async function connectorWorld(options: Omit<RunnerOptions, 'only'> = {}) {
  const tenant = await makeTenant();
  const scope = scopeOf(tenant.workspace, tenant.owner);
  const name = unique('billing');
  const connector = await createConnector(getPrisma(), scope, { name, sourceUrl: source.url, mappings: 'invoices -> Invoice: total = Amount\naccounts -> Account' });
  const runner = startConnectorRunner(getWorkPool(), { pollMs: 100, reportMs: 500, ...options, only: (id) => id === connector.id });
  runners.push(runner);
  const changes = async () =>
    (
      await getWorkPool().query<{ change_id: string; record_id: string; change_type: string; current: Record<string, unknown>; previous: Record<string, unknown>; changed_fields: string[]; source: string }>(
        `SELECT change_id, record_id, change_type::text, current, previous, changed_fields, source FROM object_changes WHERE workspace_id = $1 ORDER BY id`,
        [tenant.workspace.id],
      )
    ).rows;
  const status = async () => (await getPrisma().connector.findUniqueOrThrow({ where: { id: connector.id } })).status;
  const cleanUp = async () => {
    await runner.stop();
    await deleteConnector(getPrisma(), scope, connector.id);
  };
  return { tenant, scope, connector, name, runner, changes, status, cleanUp };
}

describe('change capture (logical replication from an embedded PostgreSQL 18)', () => {
  it('turns INSERT, UPDATE and DELETE of mapped tables into object changes with current and previous values', async () => {
    const world = await connectorWorld();
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    await sql.query(`INSERT INTO invoices VALUES ('INV-1', 'Draft', 1500.50, '2026-12-31', 'x')`);
    await sql.query(`UPDATE invoices SET status = 'Posted' WHERE id = 'INV-1'`);
    await sql.query(`DELETE FROM invoices WHERE id = 'INV-1'`);
    await sql.query(`INSERT INTO accounts (name, balance) VALUES ('Acme', 10)`);
    await sql.query(`UPDATE accounts SET balance = 20`);
    await sql.query(`DELETE FROM accounts`);
    await expect.poll(async () => (await world.changes()).length, { timeout: 15_000 }).toBe(6);
    const [insert, update, remove, accountInsert, accountUpdate, accountDelete] = await world.changes();
    const row = { Id: 'INV-1', Status: 'Draft', Amount: 1500.5, DueDate: '2026-12-31' };
    expect(insert).toMatchObject({ source: `cdc:${world.name}`, record_id: 'INV-1', change_type: 'INSERT', current: row, previous: {}, changed_fields: [] });
    expect(update).toMatchObject({ change_type: 'UPDATE', current: { ...row, Status: 'Posted' }, previous: row, changed_fields: ['Status'] });
    expect(remove).toMatchObject({ change_type: 'DELETE', current: {}, previous: { ...row, Status: 'Posted' } });
    // accounts has the default replica identity: an UPDATE carries no old values, a DELETE only the key.
    expect(accountInsert).toMatchObject({ change_type: 'INSERT', current: { Name: 'Acme', Balance: 10 } });
    expect(accountUpdate).toMatchObject({ change_type: 'UPDATE', current: { Balance: 20 }, previous: {} });
    expect(accountDelete).toMatchObject({ change_type: 'DELETE', previous: { Id: accountInsert!.record_id } });
    expect(insert!.change_id).toMatch(new RegExp(`^${world.connector.id}:[0-9A-F]+/[0-9A-F]+:0$`));
    const stored = await getPrisma().connector.findUniqueOrThrow({ where: { id: world.connector.id } });
    expect(stored.changesCaptured).toBe(6n);
    expect(stored.position).not.toBeNull();
    await world.cleanUp();
  });

  it('with JetStream configured, queues the captured changes in groups and their messages in the stream outbox, in the transaction that stores them', async () => {
    const prefix = `cdc${Date.now().toString(36)}`;
    const saved = { url: process.env.NATS_URL, prefix: process.env.NATS_PREFIX, partitions: process.env.NATS_PARTITIONS };
    // Nothing listens on this port: capture only writes the outbox, which a relay publishes later.
    Object.assign(process.env, { NATS_URL: 'nats://127.0.0.1:1', NATS_PREFIX: prefix, NATS_PARTITIONS: '2' });
    try {
      const world = await connectorWorld();
      await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
      await sql.query(`INSERT INTO invoices VALUES ('INV-40', 'Draft', 10, NULL, NULL), ('INV-41', 'Draft', 20, NULL, NULL), ('INV-42', 'Draft', 30, NULL, NULL)`);
      await expect.poll(async () => (await world.changes()).length, { timeout: 15_000 }).toBe(3);
      const workspaceId = world.tenant.workspace.id;
      const ids = (await getWorkPool().query<{ id: string }>(`SELECT id::text FROM object_changes WHERE workspace_id = $1`, [workspaceId])).rows.map((r) => r.id).sort();
      const groups = (await getWorkPool().query<{ first_id: string; ids: string[] }>(`SELECT first_id::text, ids::text[] FROM pending_change_batches WHERE workspace_id = $1`, [workspaceId])).rows;
      expect(groups.flatMap((g) => g.ids).sort()).toEqual(ids);
      expect((await getWorkPool().query(`SELECT 1 FROM pending_object_changes WHERE workspace_id = $1`, [workspaceId])).rowCount).toBe(0);
      const outbox = (await getWorkPool().query<{ msg_id: string; body: { workspaceId: string; ids: string[]; batches: string[] } }>(`SELECT msg_id, body::jsonb AS body FROM stream_outbox WHERE starts_with(subject, $1)`, [`${prefix}.`])).rows;
      expect(outbox.every((r) => r.msg_id.startsWith('cdc:') && r.body.workspaceId === workspaceId)).toBe(true);
      expect(outbox.map((r) => r.body.batches).sort()).toEqual(groups.map((g) => [g.first_id]).sort());
      await getWorkPool().query(`DELETE FROM stream_outbox WHERE starts_with(subject, $1)`, [`${prefix}.`]);
      await world.cleanUp();
    } finally {
      for (const [name, value] of [['NATS_URL', saved.url], ['NATS_PREFIX', saved.prefix], ['NATS_PARTITIONS', saved.partitions]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('keeps the connection string encrypted at rest; a plain row from before still runs and is sealed on start; a wrong key is the connector’s error', async () => {
    const world = await connectorWorld();
    const storedUrl = async () => (await getWorkPool().query<{ source_url: string }>(`SELECT source_url FROM connectors WHERE id = $1`, [world.connector.id])).rows[0]!.source_url;
    const sealed = await storedUrl();
    const password = new URL(source.url).password;
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(new URL(source.url).host);
    if (password) expect(sealed).not.toContain(password);
    expect(openSourceUrl(sealed)).toBe(source.url);
    expect((await listConnectors(world.tenant.workspace.id))[0]!.source).toBe(maskConnection(source.url));
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    await world.runner.stop();

    // Saved before encryption: read as it is, captured from, then sealed by the start-up pass.
    await getWorkPool().query(`UPDATE connectors SET source_url = $2 WHERE id = $1`, [world.connector.id, source.url]);
    const plainRunner = startConnectorRunner(getWorkPool(), { pollMs: 100, reportMs: 500, only: (id) => id === world.connector.id });
    runners.push(plainRunner);
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    await sql.query(`INSERT INTO accounts (name, balance) VALUES ('Legacy', 1)`);
    await expect.poll(async () => (await world.changes()).length, { timeout: 15_000 }).toBe(1);
    await plainRunner.stop();
    expect(await sealLegacySecrets(getWorkPool(), { workspaceIds: [world.tenant.workspace.id] })).toMatchObject({ sealed: 1, unreadable: 0 });
    expect(openSourceUrl(await storedUrl())).toBe(source.url);

    // Sealed under a key this process does not have: the connector shows an error naming SECRETS_KEY, not the URL.
    await getWorkPool().query(`UPDATE connectors SET source_url = $2 WHERE id = $1`, [world.connector.id, sealSecret(source.url, 'connectors.source_url', { SECRETS_KEY: Buffer.alloc(32, 9).toString('base64') })]);
    const wrongKeyRunner = startConnectorRunner(getWorkPool(), { pollMs: 100, reportMs: 500, only: (id) => id === world.connector.id });
    runners.push(wrongKeyRunner);
    await expect.poll(world.status, { timeout: 15_000 }).toBe('error');
    const [connector] = await listConnectors(world.tenant.workspace.id);
    expect(connector!.lastError).toMatch(/another key .* than SECRETS_KEY/);
    expect(connector!.source).toBe('(cannot be decrypted with SECRETS_KEY)');
    await wrongKeyRunner.stop();
    await getWorkPool().query(`UPDATE connectors SET source_url = $2 WHERE id = $1`, [world.connector.id, source.url]);
    await world.cleanUp();
  });

  it('loses and repeats nothing when stopped and started mid-stream while a script writes to the billing tables', async () => {
    const world = await connectorWorld();
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    const prefix = unique('w');
    let written = 0;
    let writing = true;
    const writer = (async () => {
      for (let tx = 0; writing || tx < 40; tx++) {
        const rows = 1 + (tx % 4);
        const values = Array.from({ length: rows }, (_, i) => `('${prefix}-${tx}-${i}', 'Draft', ${tx}.${i})`).join(', ');
        await sql.query(`BEGIN; INSERT INTO invoices (id, status, total) VALUES ${values}; UPDATE invoices SET status = 'Posted' WHERE id = '${prefix}-${tx}-0'; COMMIT;`);
        written += rows + 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    for (let round = 0; round < 2; round++) {
      await expect.poll(async () => (await world.changes()).length, { timeout: 15_000 }).toBeGreaterThan(round * 40 + 20);
      await setConnectorState(getPrisma(), world.scope, world.connector.id, 'stopped');
      await expect.poll(world.status, { timeout: 15_000 }).toBe('stopped');
      await new Promise((resolve) => setTimeout(resolve, 300)); // the script goes on writing while it is stopped
      await setConnectorState(getPrisma(), world.scope, world.connector.id, 'running');
      await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    }
    writing = false;
    await writer;
    await expect.poll(async () => (await world.changes()).length, { timeout: 30_000 }).toBe(written);
    const changes = await world.changes();
    expect(new Set(changes.map((c) => c.change_id)).size).toBe(written);
    expect(new Set(changes.map((c) => `${c.record_id}:${c.change_type}`)).size).toBe(written);
    // Caught up, the slot has confirmed a byte past the last commit's end: the lag shown is 0, never -1.
    const lag = await withSource(source.url, (client) => slotLag(client, replicationNames(world.connector.id).slot));
    expect(lag).not.toBeNull();
    expect(lag! >= 0n).toBe(true);
    await world.cleanUp();
  });

  it('replays a transaction stored but not acknowledged when the connection dies, without storing it twice', async () => {
    const stored: string[] = [];
    let slot = '';
    const world = await connectorWorld({
      hooks: {
        // Dies like a killed process would: the local commit is done, the acknowledgement never sent.
        afterStore: async ({ commitLsn }) => {
          stored.push(commitLsn);
          if (stored.length > 1) return;
          await sql.query(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL`, [slot]);
          throw new Error('killed between the local commit and the acknowledgement');
        },
      },
    });
    slot = replicationNames(world.connector.id).slot;
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    const prefix = unique('k');
    await sql.query(`INSERT INTO invoices (id, status, total) VALUES ('${prefix}-1', 'Draft', 1), ('${prefix}-2', 'Draft', 2)`);
    await expect.poll(() => stored.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await sql.query(`INSERT INTO invoices (id, status, total) VALUES ('${prefix}-3', 'Draft', 3)`);
    await expect.poll(async () => (await world.changes()).length, { timeout: 20_000 }).toBe(3);
    // The first transaction came again after the reconnect, and was not stored again.
    expect(stored.filter((lsn) => lsn === stored[0]).length).toBe(2);
    const changes = await world.changes();
    expect(changes.map((c) => c.record_id)).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
    await world.cleanUp();
  });

  it('runs a connector in one process at a time; another takes over when that one stops', async () => {
    const world = await connectorWorld();
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    const other = startConnectorRunner(getWorkPool(), { pollMs: 100, only: (id) => id === world.connector.id });
    runners.push(other);
    await other.poll();
    expect([world.runner.running(), other.running()]).toEqual([[world.connector.id], []]);
    await world.runner.stop();
    await expect.poll(() => other.running(), { timeout: 10_000 }).toEqual([world.connector.id]);
    await expect.poll(world.status, { timeout: 15_000 }).toBe('running');
    await sql.query(`INSERT INTO invoices (id, status, total) VALUES ('${unique('t')}', 'Draft', 1)`);
    await expect.poll(async () => (await world.changes()).length, { timeout: 15_000 }).toBe(1);
    await other.stop();
    await deleteConnector(getPrisma(), world.scope, world.connector.id);
  });

  it('seeds the demo billing database with a running connector and triggers whose business events appear within seconds', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    expect(await seedDemoBilling(getPrisma(), scope, source.url)).toEqual({ skipped: null });
    expect(await seedDemoBilling(getPrisma(), scope, source.url)).toEqual({ skipped: null }); // idempotent
    const connector = await getPrisma().connector.findFirstOrThrow({ where: { workspaceId: tenant.workspace.id, name: DEMO_CONNECTOR_NAME } });
    expect(connector.desiredState).toBe('running');
    const runner = startConnectorRunner(getWorkPool(), { pollMs: 100, only: (id) => id === connector.id });
    runners.push(runner);
    const eventTypes = async () =>
      (await getWorkPool().query<{ event_type: string }>(`SELECT DISTINCT event_type FROM business_events WHERE workspace_id = $1 ORDER BY 1`, [tenant.workspace.id])).rows.map((r) => r.event_type);
    // The seed's first activity: invoices drafted, posted and partly paid, one subscription cancelled.
    await expect.poll(eventTypes, { timeout: 20_000 }).toEqual(expect.arrayContaining(['InvoicePosted', 'SubscriptionCancelled']));
    const activity = await generateActivity(openSourceUrl(connector.sourceUrl));
    expect(activity).toMatchObject({ invoicesCreated: 3, invoicesPosted: 3, subscriptionsCancelled: 1 });
    await runner.stop();
    await deleteConnector(getPrisma(), scope, connector.id);
  });

  it('skips the demo connector, saying why, when the console server cannot do logical replication', async () => {
    const walLevel = (await getWorkPool().query<{ wal_level: string }>('SHOW wal_level')).rows[0]!.wal_level;
    if (walLevel === 'logical') return; // the suite's database is a logical one here: nothing to skip
    const tenant = await makeTenant();
    const result = await seedDemoBilling(getPrisma(), scopeOf(tenant.workspace, tenant.owner), process.env.DATABASE_URL!);
    expect(result.skipped).toMatch(/wal_level = replica \(logical is needed\)/);
    expect(await getPrisma().connector.count({ where: { workspaceId: tenant.workspace.id } })).toBe(0);
  });
});
