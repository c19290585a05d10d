import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { requireDatabaseUrl } from '@/lib/db/database-url';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** The control-plane client: one per process (globalThis survives Next's dev reloads). */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.prisma) {
    const adapter = new PrismaPg({
      connectionString: requireDatabaseUrl(),
      max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    });
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
