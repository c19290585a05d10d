import { z } from 'zod';
import { maskConnection } from '@/lib/custom-events/connectors/connector-schema';
import type { TableMapping } from '@/lib/custom-events/connectors/mappings';
import { openSourceUrl, replicaIdentities, replicaIdentityFullSql, withSource, type ReplicaIdentity } from '@/lib/custom-events/connectors/source';
import { getPrisma } from '@/lib/db/prisma';
import { isAppError } from '@/lib/errors';

/** A connector as the pages show it: the connection string masked, never whole. */
export interface ConnectorItem {
  id: string;
  name: string;
  source: string;
  desiredState: 'running' | 'stopped';
  status: 'stopped' | 'starting' | 'running' | 'error';
  lastError: string | null;
  lastErrorAt: Date | null;
  lagBytes: number | null;
  lastChangeAt: Date | null;
  reportedAt: Date | null;
  changesCaptured: number;
  mappings: TableMapping[];
  publication: string;
  slot: string;
  createdAt: Date;
}

/** Longest silence of a running connector's runner before the page says nothing is running it. */
export const STALE_REPORT_MS = 30_000;

const columns = {
  id: true, name: true, sourceUrl: true, desiredState: true, status: true, lastError: true, lastErrorAt: true, lagBytes: true,
  lastChangeAt: true, reportedAt: true, changesCaptured: true, mappings: true, publication: true, slot: true, createdAt: true,
} as const;

type Row = { [K in keyof typeof columns]: unknown } & { sourceUrl: string; lagBytes: bigint | null; changesCaptured: bigint; mappings: unknown };

/** The stored connection string with its password hidden; a note instead when it cannot be decrypted. */
function maskedSource(stored: string): string {
  try {
    return maskConnection(openSourceUrl(stored));
  } catch (error) {
    if (isAppError(error)) return '(cannot be decrypted with SECRETS_KEY)';
    throw error;
  }
}

function itemOf(row: Row): ConnectorItem {
  const { sourceUrl, lagBytes, changesCaptured, mappings, ...rest } = row;
  return {
    ...(rest as Omit<ConnectorItem, 'source' | 'lagBytes' | 'changesCaptured' | 'mappings'>),
    source: maskedSource(sourceUrl),
    lagBytes: lagBytes === null ? null : Number(lagBytes),
    changesCaptured: Number(changesCaptured),
    mappings: mappings as TableMapping[],
  };
}

export async function listConnectors(workspaceId: string): Promise<ConnectorItem[]> {
  const rows = await getPrisma().connector.findMany({ where: { workspaceId }, select: columns, orderBy: { name: 'asc' } });
  return rows.map((r) => itemOf(r as Row));
}

export async function getConnector(workspaceId: string, id: string): Promise<ConnectorItem | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await getPrisma().connector.findFirst({ where: { id, workspaceId }, select: columns });
  return row ? itemOf(row as Row) : null;
}

export interface TableIdentity {
  table: string;
  object: string;
  identity: ReplicaIdentity | 'missing';
  /** The SQL that gives UPDATE and DELETE the whole old row, when the identity is not FULL. */
  fix: string | null;
}

/** The mapped tables' replica identities read from the source now; `error` says why they could not be read. */
export async function mappedTableIdentities(workspaceId: string, id: string): Promise<{ tables: TableIdentity[]; error: string | null }> {
  const row = await getPrisma().connector.findFirst({ where: { id, workspaceId }, select: { sourceUrl: true, mappings: true } });
  if (!row) return { tables: [], error: null };
  const mappings = row.mappings as unknown as TableMapping[];
  try {
    const identities = await withSource(openSourceUrl(row.sourceUrl), (client) => replicaIdentities(client, mappings.map((m) => m.table)));
    return {
      tables: mappings.map((m) => {
        const identity = identities.get(m.table) ?? 'missing';
        return { table: m.table, object: m.object, identity, fix: identity === 'full' || identity === 'missing' ? null : replicaIdentityFullSql(m.table) };
      }),
      error: null,
    };
  } catch (error) {
    return { tables: mappings.map((m) => ({ table: m.table, object: m.object, identity: 'missing', fix: null })), error: isAppError(error) ? error.userMessage : 'The source could not be read.' };
  }
}
