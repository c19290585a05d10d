import pg from 'pg';
import { AppError } from '@/lib/errors';
import { openSecret, sealSecret } from '@/lib/security/secrets-at-rest';

/**
 * The source database of a connector: what it offers (its tables, wal_level, the role's REPLICATION right,
 * replica identities) and the publication and slot change capture reads through. Every connection is short
 * and its errors are described without the connection string (which holds the password).
 */

export type ReplicaIdentity = 'full' | 'default' | 'index' | 'nothing';

export interface SourceTable {
  table: string;
  columns: string[];
  replicaIdentity: ReplicaIdentity;
}

/** A connection string as the database keeps it (connectors.source_url): encrypted under SECRETS_KEY, password and all. */
export const sealSourceUrl = (sourceUrl: string) => sealSecret(sourceUrl, 'connectors.source_url');

/** The connection string of a stored value (sealed, or plain from before encryption); throws naming SECRETS_KEY. */
export const openSourceUrl = (stored: string) => openSecret(stored, 'connectors.source_url');

const CONNECT_TIMEOUT_MS = 5_000;
const IDENTITY: Record<string, ReplicaIdentity> = { f: 'full', d: 'default', i: 'index', n: 'nothing' };

/** Runs `work` on a fresh connection to the source; a failure to connect is an AppError that says why, without secrets. */
export async function withSource<T>(sourceUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: sourceUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, statement_timeout: 15_000 });
  client.on('error', () => undefined); // a server-side close while idle must not crash the process
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new AppError('SOURCE_UNREACHABLE', `Cannot connect to the source database: ${describeConnectError(error)}`, { fieldErrors: { sourceUrl: [`Cannot connect: ${describeConnectError(error)}`] } });
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describeConnectError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'nothing answers at that host and port. Is the server running, and is the port right?';
  if (e.code === 'ENOTFOUND') return 'the host name does not resolve. Check the host.';
  if (e.code === '28P01' || e.code === '28000') return 'the server refused the user name or password. Check them.';
  if (e.code === '3D000') return 'that database does not exist on the server. Check the database name.';
  if (/timeout/i.test(e.message ?? '')) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s. Check the host, port and firewall.`;
  return (e.message ?? 'unknown error').replace(/postgres(ql)?:\/\/[^\s]+/g, '<connection string>');
}

/**
 * Checks that the source can be a logical-replication source and returns its tables (outside the system
 * schemas) with their columns and replica identities. Refuses, saying exactly what to change: wal_level
 * not logical, or a role without REPLICATION.
 */
export async function inspectSource(client: pg.Client): Promise<Map<string, SourceTable>> {
  const walLevel = (await client.query<{ wal_level: string }>('SHOW wal_level')).rows[0]!.wal_level;
  if (walLevel !== 'logical') {
    throw sourceError(
      'SOURCE_WAL_LEVEL',
      `The source has wal_level = ${walLevel}; change capture needs wal_level = logical. Set it (ALTER SYSTEM SET wal_level = logical, or in postgresql.conf) and restart that PostgreSQL server.`,
    );
  }
  const role = (await client.query<{ name: string; allowed: boolean }>(`SELECT current_user AS name, rolreplication OR rolsuper AS allowed FROM pg_roles WHERE rolname = current_user`)).rows[0]!;
  if (!role.allowed) {
    throw sourceError('SOURCE_NO_REPLICATION', `The source role “${role.name}” lacks the REPLICATION privilege. Run ALTER ROLE "${role.name}" WITH REPLICATION; on the source (as a superuser), or connect as a role that has it.`);
  }
  const { rows } = await client.query<{ table: string; relreplident: string; columns: string[] }>(
    `SELECT n.nspname || '.' || c.relname AS table, c.relreplident::text AS relreplident,
            ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1`,
  );
  return new Map(rows.map((r) => [r.table, { table: r.table, columns: r.columns, replicaIdentity: IDENTITY[r.relreplident] ?? 'default' }]));
}

/** The replica identity of each of `tables` now (the connector page's warnings). */
export async function replicaIdentities(client: pg.Client, tables: readonly string[]): Promise<Map<string, ReplicaIdentity | 'missing'>> {
  const { rows } = await client.query<{ table: string; relreplident: string | null }>(
    `SELECT t AS table, (SELECT c.relreplident::text FROM pg_class c WHERE c.oid = to_regclass(t)) AS relreplident FROM unnest($1::text[]) AS t`,
    [tables],
  );
  return new Map(rows.map((r) => [r.table, r.relreplident ? (IDENTITY[r.relreplident] ?? 'default') : 'missing']));
}

/** The SQL that makes a table's UPDATEs and DELETEs carry the whole old row. */
export const replicaIdentityFullSql = (table: string) => `ALTER TABLE ${quoteTable(table)} REPLICA IDENTITY FULL;`;

export function quoteTable(table: string): string {
  return table.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/**
 * Creates the connector's publication (for exactly its tables) and its replication slot when missing, so
 * changes made from now on are kept for it even before it first runs. Idempotent.
 */
export async function ensurePublicationAndSlot(client: pg.Client, publication: string, slot: string, tables: readonly string[]): Promise<void> {
  try {
    await createPublicationAndSlot(client, publication, slot, tables);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42501') {
      throw sourceError('SOURCE_NOT_OWNER', `The source role may not publish ${tables.join(', ')}: ${(error as Error).message}. Connect as the tables' owner (or a superuser), or have them run CREATE PUBLICATION "${publication}" FOR TABLE ${tables.map(quoteTable).join(', ')};`);
    }
    if (code === '53400') {
      throw sourceError('SOURCE_NO_SLOTS', 'The source has no free replication slot (max_replication_slots). Drop an unused slot (SELECT pg_drop_replication_slot(…)) or raise max_replication_slots and restart it.');
    }
    throw error;
  }
}

async function createPublicationAndSlot(client: pg.Client, publication: string, slot: string, tables: readonly string[]): Promise<void> {
  const list = tables.map(quoteTable).join(', ');
  const exists = (await client.query(`SELECT 1 FROM pg_publication WHERE pubname = $1`, [publication])).rowCount! > 0;
  await client.query(exists ? `ALTER PUBLICATION "${publication}" SET TABLE ${list}` : `CREATE PUBLICATION "${publication}" FOR TABLE ${list}`);
  const slotExists = (await client.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1`, [slot])).rowCount! > 0;
  if (!slotExists) await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
}

/** Drops the slot (so the source stops keeping WAL for it) and the publication; retries while the slot is still active for a moment after a stop. */
export async function dropPublicationAndSlot(client: pg.Client, publication: string, slot: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [slot]);
      break;
    } catch (error) {
      if (attempt >= 10 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  await client.query(`DROP PUBLICATION IF EXISTS "${publication}"`);
}

/**
 * Bytes of WAL the source has written past what the slot has confirmed (null when the slot is gone). The
 * capture acknowledges a transaction's end position plus one, so a caught-up slot can be 1 byte ahead of
 * the write position: that is no lag, never a negative one.
 */
export async function slotLag(client: pg.Client, slot: string): Promise<bigint | null> {
  const { rows } = await client.query<{ lag: string | null }>(
    `SELECT GREATEST(0, pg_current_wal_lsn() - confirmed_flush_lsn)::bigint::text AS lag FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  return rows[0]?.lag == null ? null : BigInt(rows[0].lag);
}

function sourceError(code: string, message: string): AppError {
  return new AppError(code, message, { fieldErrors: { sourceUrl: [message] } });
}
