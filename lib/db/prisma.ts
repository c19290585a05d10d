import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { poolConfig } from '@/lib/db/pool';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/**
 * The control-plane client: one per process (globalThis survives Next's dev reloads). Its pool has the
 * web requests' settings: a connection timeout and the 30 s statement timeout.
 */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.prisma) {
    const adapter = new PrismaPg(poolConfig('requests'));
    globalForPrisma.prisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.prisma;
}

export async function disconnectPrisma(): Promise<void> {
  const prisma = globalForPrisma.prisma;
  globalForPrisma.prisma = undefined;
  await prisma?.$disconnect();
}

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
