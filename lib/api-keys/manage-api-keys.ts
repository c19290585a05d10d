import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { generateApiKey } from '@/lib/api-keys/api-key-secret';
import { API_SCOPE_NAMES, type ApiScope } from '@/lib/api-keys/scopes';
import { recordAudit } from '@/lib/audit/audit-log';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/errors';

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name, e.g. "Billing gateway".').max(80, 'Keep the name under 80 characters.'),
  // A form with no box ticked sends no `scopes` at all.
  scopes: z.preprocess(
    (v) => v ?? [],
    z.array(z.enum(API_SCOPE_NAMES as [ApiScope, ...ApiScope[]], { message: 'Choose scopes from the list.' })).min(1, 'Choose at least one scope.'),
  ),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export interface ApiKeyListItem {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Creates a key and returns it in full, the only time it is ever available. */
export async function createApiKey(
  prisma: PrismaClient,
  scope: WorkspaceScope,
  input: CreateApiKeyInput,
): Promise<{ key: string; apiKey: ApiKeyListItem }> {
  const { key, prefix, secretHash } = generateApiKey();
  const scopes = [...new Set(input.scopes)].sort();
  const created = await prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        workspaceId: scope.workspaceId,
        name: input.name,
        prefix,
        secretHash,
        scopes,
        createdById: scope.actor.type === 'user' ? scope.actor.id : null,
      },
    });
    await recordAudit(tx, scope, { action: 'api_key.created', targetType: 'api_key', targetId: row.id, details: { name: input.name, prefix, scopes } });
    return row;
  });
  return {
    key,
    apiKey: { ...pick(created), createdBy: scope.actor.label },
  };
}

/** Revokes a key of this workspace; it stops working on the next request. */
export async function revokeApiKey(prisma: PrismaClient, scope: WorkspaceScope, id: string): Promise<void> {
  if (!z.uuid().safeParse(id).success) throw notFound('That API key');
  await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id, workspaceId: scope.workspaceId } });
    if (!key) throw notFound('That API key');
    if (key.revokedAt) throw new AppError('ALREADY_REVOKED', `The key "${key.name}" was already revoked.`, { status: 409 });
    await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, scope, { action: 'api_key.revoked', targetType: 'api_key', targetId: id, details: { name: key.name, prefix: key.prefix } });
  });
}

/** The workspace's keys, active first, newest first. */
export async function listApiKeys(prisma: PrismaClient, workspaceId: string): Promise<ApiKeyListItem[]> {
  const rows = await prisma.apiKey.findMany({
    where: { workspaceId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    include: { createdBy: { select: { email: true } } },
  });
  return rows.map((r) => ({ ...pick(r), createdBy: r.createdBy?.email ?? null }));
}

function pick(r: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }) {
  return { id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt };
}
