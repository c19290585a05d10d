import { randomUUID } from 'node:crypto';
import { BENCH_DEFINITION } from '@/lib/bench/generate-events';
import { getWorkPool } from '@/lib/db/pool';
import { syncFilterIndexes } from '@/lib/event-store/filter-indexes';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';

/**
 * A workspace of the bench's own (slug `<slugPrefix>-<suffix>`) with the bench's event definition. The suite
 * deletes the workspace when it ends, which cascades to everything in it; if making the definition fails,
 * the workspace is deleted here. The definition's indexed field (customerId) gets its filter index before the
 * suite writes, as the app's background sync would make it.
 */
export async function createBenchWorkspace(prisma: PrismaClient, slugPrefix: string, namePrefix: string) {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const workspace = await prisma.workspace.create({ data: { slug: `${slugPrefix}-${suffix}`, name: `${namePrefix} ${suffix}` } });
  try {
    const definition = await prisma.eventDefinition.create({
      data: {
        workspaceId: workspace.id,
        name: 'bench-usage',
        description: 'Created by npm run bench; deleted when it ends.',
        fields: BENCH_DEFINITION.fields as unknown as Prisma.InputJsonValue,
        eventIdField: BENCH_DEFINITION.eventIdField,
        eventTimeField: BENCH_DEFINITION.eventTimeField,
      },
    });
    await syncFilterIndexes(getWorkPool(), { waitForLock: true });
    return { workspace, definition, suffix };
  } catch (error) {
    await prisma.workspace.delete({ where: { id: workspace.id } }).catch(() => undefined);
    throw error;
  }
}
