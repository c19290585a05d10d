import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { connectorInputSchema, replicationNames, withPassword, type ConnectorInput } from '@/lib/custom-events/connectors/connector-schema';
import { parseMappingText, resolveMappings, type TableMapping } from '@/lib/custom-events/connectors/mappings';
import { dropPublicationAndSlot, ensurePublicationAndSlot, inspectSource, openSourceUrl, sealSourceUrl, withSource } from '@/lib/custom-events/connectors/source';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { logger } from '@/lib/logger';

const NOT_FOUND = 'That connector';

/**
 * Creates a connector after testing its source: the connection, wal_level, the role's REPLICATION right,
 * and each mapped table, column and field (did-you-mean hints, errors by line). Creates the publication and
 * the replication slot on the source, so changes from now on are kept for the connector, then the row
 * (desired state running, audited; the connection string, password and all, stored encrypted under
 * SECRETS_KEY). A row that cannot be saved takes its slot away again.
 */
export async function createConnector(prisma: PrismaClient, scope: WorkspaceScope, raw: unknown): Promise<{ id: string; name: string }> {
  const input = validInput(raw);
  if (await prisma.connector.findFirst({ where: { workspaceId: scope.workspaceId, name: input.name }, select: { id: true } })) {
    throw nameTaken(input.name);
  }
  const parsed = parseMappingText(input.mappings);
  if (parsed.errors.length > 0) throw mappingErrors(parsed.errors);
  const id = randomUUID();
  const { publication, slot } = replicationNames(id);
  const mappings = await withSource(input.sourceUrl, async (client) => {
    const tables = await inspectSource(client);
    const resolved = resolveMappings(parsed.lines, new Map([...tables].map(([name, t]) => [name, t.columns])));
    if (resolved.errors.length > 0) throw mappingErrors(resolved.errors);
    await ensurePublicationAndSlot(client, publication, slot, resolved.mappings.map((m) => m.table));
    return resolved.mappings;
  });
  try {
    return await prisma.$transaction(async (tx) => {
      const connector = await tx.connector.create({
        data: { id, workspaceId: scope.workspaceId, name: input.name, sourceUrl: sealSourceUrl(input.sourceUrl), publication, slot, mappings: mappings as unknown as Prisma.InputJsonValue },
        select: { id: true, name: true },
      });
      await recordAudit(tx, scope, { action: 'connector.created', targetType: 'connector', targetId: id, details: { name: input.name, tables: mappings.map((m) => m.table) } });
      return connector;
    });
  } catch (error) {
    await withSource(input.sourceUrl, (client) => dropPublicationAndSlot(client, publication, slot)).catch(() => undefined);
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw nameTaken(input.name);
    throw error;
  }
}

/** Start or Stop: sets the desired state, which the runner follows within seconds. Audited. */
export async function setConnectorState(prisma: PrismaClient, scope: WorkspaceScope, id: string, state: 'running' | 'stopped'): Promise<void> {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.connector.updateMany({ where: { id, workspaceId: scope.workspaceId }, data: { desiredState: state } });
    if (count === 0) throw notFound(NOT_FOUND);
    await recordAudit(tx, scope, { action: state === 'running' ? 'connector.started' : 'connector.stopped', targetType: 'connector', targetId: id, details: {} });
  });
}

/**
 * Deletes a connector: the row (the runner lets go at its next poll), then its slot and publication on the
 * source, so the source stops keeping WAL for it. The captured changes stay. When the source cannot be
 * reached the row is still deleted and the message says which slot to drop by hand.
 */
export async function deleteConnector(prisma: PrismaClient, scope: WorkspaceScope, id: string): Promise<{ warning: string | null }> {
  if (!z.uuid().safeParse(id).success) throw notFound(NOT_FOUND);
  const connector = await prisma.$transaction(async (tx) => {
    const found = await tx.connector.findFirst({ where: { id, workspaceId: scope.workspaceId }, select: { name: true, sourceUrl: true, publication: true, slot: true } });
    if (!found) throw notFound(NOT_FOUND);
    await tx.connector.delete({ where: { id } });
    await recordAudit(tx, scope, { action: 'connector.deleted', targetType: 'connector', targetId: id, details: { name: found.name } });
    return found;
  });
  try {
    await withSource(openSourceUrl(connector.sourceUrl), (client) => dropPublicationAndSlot(client, connector.publication, connector.slot));
    return { warning: null };
  } catch (error) {
    logger.warn({ connectorId: id, code: (error as { code?: string }).code }, 'connector deleted, but its slot could not be dropped');
    return { warning: `The connector is deleted, but its replication slot could not be dropped on the source. Run SELECT pg_drop_replication_slot('${connector.slot}'); DROP PUBLICATION IF EXISTS "${connector.publication}"; there, or it keeps WAL.` };
  }
}

function validInput(raw: unknown): ConnectorInput {
  const parsed = connectorInputSchema.safeParse(raw);
  if (parsed.success) return { ...parsed.data, sourceUrl: withPassword(parsed.data.sourceUrl, parsed.data.password), password: '' };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.') || '_form'] ??= []).push(issue.message);
  throw new AppError('INVALID_CONNECTOR', 'Some fields need attention.', { fieldErrors });
}

const nameTaken = (name: string) => new AppError('CONNECTOR_NAME_TAKEN', `A connector named “${name}” already exists in this workspace; choose another name.`, { status: 409, fieldErrors: { name: [`“${name}” is taken; choose another name.`] } });

function mappingErrors(errors: string[]): AppError {
  return new AppError('INVALID_MAPPINGS', `The mappings need attention: ${errors[0]}`, { fieldErrors: { mappings: errors } });
}

export type { TableMapping };
