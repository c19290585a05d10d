import type pg from 'pg';
import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit-log';
import { inTransaction } from '@/lib/db/transaction';
import { AppError, notFound } from '@/lib/errors';

/**
 * Asks for one more attempt of a delivery, now, whatever its state (a succeeded one is sent again with the
 * same webhook-id, so the receiver can tell). Refused while an attempt is in flight, or when the endpoint
 * is disabled (enable it first). Audited; the attempt is logged with who asked.
 */
export async function resendDelivery(pool: pg.Pool, scope: WorkspaceScope, deliveryId: string): Promise<{ id: string }> {
  if (!z.uuid().safeParse(deliveryId).success) throw notFound('That delivery');
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ status: string; active: boolean; event_id: string }>(
      `SELECT d.status, e.active, d.event_id FROM notification_deliveries d JOIN notification_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1::uuid AND d.workspace_id = $2::uuid FOR UPDATE OF d`,
      [deliveryId, scope.workspaceId],
    );
    const delivery = rows[0];
    if (!delivery) throw notFound('That delivery');
    if (!delivery.active) throw new AppError('ENDPOINT_DISABLED', 'Its endpoint is disabled: enable the endpoint first, then resend.', { status: 409 });
    if (delivery.status === 'sending') throw new AppError('IN_FLIGHT', 'An attempt is being made right now: wait for it to end, then resend if it failed.', { status: 409 });
    await client.query(
      `UPDATE notification_deliveries SET status = 'pending', next_attempt_at = now(), max_attempts = attempts + 1, resend_by = $2, updated_at = now() WHERE id = $1::uuid`,
      [deliveryId, scope.actor.label],
    );
    await recordAudit(client, scope, { action: 'notification.delivery.resent', targetType: 'notification-delivery', targetId: deliveryId, details: { eventId: delivery.event_id, previousStatus: delivery.status } });
    return { id: deliveryId };
  });
}
