import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { PrismaClient, Tx } from '@/lib/db/prisma';
import type { Role } from '@/lib/auth/permissions';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  memberships: { workspaceId: string; role: Role }[];
}

/**
 * Creates a user with a password credential (Better Auth's "credential" account, scrypt hash) and
 * their workspace memberships, in one transaction. Sign-up is closed; this is how users come to be.
 */
export async function createUser(db: PrismaClient | Tx, user: NewUser): Promise<{ id: string }> {
  const id = randomUUID();
  const email = user.email.trim().toLowerCase();
  const passwordHash = await hashPassword(user.password);
  const write = async (tx: Tx) => {
    await tx.user.create({ data: { id, email, name: user.name, emailVerified: true } });
    await tx.account.create({
      data: { id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: passwordHash },
    });
    if (user.memberships.length) {
      await tx.membership.createMany({ data: user.memberships.map((m) => ({ ...m, userId: id })) });
    }
  };
  if ('$transaction' in db) await db.$transaction(write);
  else await write(db);
  return { id };
}

/** A password for generated accounts: 18 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Replaces a user's password (scrypt hash) and ends their sessions. Returns false when no such user. */
export async function setPassword(prisma: PrismaClient, email: string, password: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) return false;
  const hash = await hashPassword(password);
  await prisma.$transaction([
    prisma.account.updateMany({ where: { userId: user.id, providerId: 'credential' }, data: { password: hash } }),
    prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
  return true;
}
