import type pg from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';

/** How far back Home counts events: the window people replay and bill over. */
export const RECENT_EVENT_DAYS = 90;

export interface WorkspaceSummary {
  definitions: number;
  stores: number;
  triggers: number;
  /** Events whose event time lies in the last RECENT_EVENT_DAYS days (whole hours), over all stores. */
  recentEvents: number;
  /** Nothing built yet: Home offers first steps. */
  empty: boolean;
}

/**
 * What a workspace holds, for Home. Recent events come from the hourly rollup (`event_store_hours`), so the
 * cost is the number of busy hours, not of events.
 */
export async function getWorkspaceSummary(prisma: PrismaClient, pool: pg.Pool, workspaceId: string, now = new Date()): Promise<WorkspaceSummary> {
  const since = new Date(now.getTime() - RECENT_EVENT_DAYS * 86_400_000);
  const [definitions, stores, triggers, recent] = await Promise.all([
    prisma.eventDefinition.count({ where: { workspaceId } }),
    prisma.eventStore.count({ where: { workspaceId } }),
    prisma.trigger.count({ where: { workspaceId } }),
    pool.query<{ n: string | null }>(
      `SELECT sum(h.event_count) AS n
         FROM event_store_hours h JOIN event_stores s ON s.id = h.store_id
        WHERE s.workspace_id = $1::uuid AND h.hour >= date_trunc('hour', $2::timestamptz, 'UTC') AND h.hour <= $3::timestamptz`,
      [workspaceId, since, now],
    ),
  ]);
  const recentEvents = Number(recent.rows[0]?.n ?? 0);
  return { definitions, stores, triggers, recentEvents, empty: definitions + stores + triggers === 0 };
}
