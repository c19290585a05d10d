import type pg from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';
import { seedDemo, type SeedReport } from '@/lib/demo/seed-demo';

/**
 * First-run path: on a database with no user at all, seeds the demo workspace and creates the demo user
 * (whose password the launcher prints once). Otherwise leaves everything alone.
 */
export async function ensureDemoData(prisma: PrismaClient, pool: pg.Pool): Promise<SeedReport | null> {
  if ((await prisma.user.count()) > 0) return null;
  return seedDemo(prisma, pool);
}
