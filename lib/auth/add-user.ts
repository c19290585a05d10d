import { z } from 'zod';
import { createUser, generatePassword } from '@/lib/auth/create-user';
import { ROLES, type Role } from '@/lib/auth/permissions';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';

export const addUserSchema = z.object({
  email: z.email('Give a valid email address.'),
  name: z.string().trim().min(1).max(120).optional(),
  password: z.string().min(10, 'Passwords need at least 10 characters.').max(128).optional(),
  /** "slug:role"; a workspace that does not exist yet is created with the slug as its name. */
  workspaces: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]*:(owner|editor|viewer)$/, 'Write workspaces as slug:role, e.g. demo:viewer.'))
    .min(1, 'Name at least one workspace as slug:role.'),
});
export type AddUserInput = z.input<typeof addUserSchema>;

/**
 * Adds a user with memberships (creating missing workspaces), for operators and test fixtures.
 * Returns the password, generated when none was given.
 */
export async function addUser(prisma: PrismaClient, raw: AddUserInput) {
  const input = addUserSchema.parse(raw);
  const email = input.email.trim().toLowerCase();
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new AppError('USER_EXISTS', `A user with the email ${email} already exists.`, { status: 409 });
  }
  const memberships: { workspaceId: string; role: Role; slug: string }[] = [];
  for (const spec of input.workspaces) {
    const [slug, role] = spec.split(':') as [string, Role];
    if (!ROLES.includes(role)) throw new AppError('BAD_ROLE', `Unknown role ${role}.`);
    const workspace = await prisma.workspace.upsert({ where: { slug }, update: {}, create: { slug, name: slug } });
    memberships.push({ workspaceId: workspace.id, role, slug });
  }
  const password = input.password ?? generatePassword();
  const { id } = await createUser(prisma, {
    email,
    name: input.name ?? email.split('@')[0]!,
    password,
    memberships: memberships.map(({ workspaceId, role }) => ({ workspaceId, role })),
  });
  return { id, email, password, workspaces: memberships };
}
