import type pg from 'pg';

/**
 * Records the deliveries of stored business events (the JetStream path, where the events' transaction writes
 * only the stream outbox): one per event and endpoint of its type that is active now and existed when the
 * event was stored, as the PostgreSQL path's outbox would have queued then. Idempotent: at most one delivery
 * per (event, endpoint), so a message delivered twice records nothing twice. Returns the deliveries made.
 */
export async function recordDeliveries(db: pg.Pool | pg.ClientBase, workspaceId: string, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  // Each event by its primary key (LATERAL ... LIMIT 1), whatever the statistics say: `workspace_id = $1 AND
  // id = ANY($2)` may be planned as a scan of the workspace's events filtered by id (see claimPendingChanges).
  const { rowCount } = await db.query(
    `INSERT INTO notification_deliveries (workspace_id, event_id, endpoint_id, channel)
     SELECT b.workspace_id, b.id, e.id, e.channel
       FROM unnest($2::uuid[]) AS k(id)
       CROSS JOIN LATERAL (SELECT b.* FROM business_events b WHERE b.id = k.id LIMIT 1) b
       JOIN notification_endpoints e ON e.workspace_id = b.workspace_id AND e.event_type = b.event_type AND e.active AND e.created_at <= b.processed_at
      WHERE b.workspace_id = $1::uuid
     ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
    [workspaceId, eventIds],
  );
  return rowCount ?? 0;
}
