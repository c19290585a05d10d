import type pg from 'pg';
import { z } from 'zod';
import { notFound } from '@/lib/errors';
import { maskSecret } from '@/lib/notifications/secret';

export interface EndpointItem {
  id: string;
  eventType: string;
  channel: 'webhook' | 'email';
  url: string | null;
  recipients: string[];
  /** The secret masked (whsec_••••abcd); the full one is never read back for the console. */
  maskedSecret: string | null;
  active: boolean;
  disabledReason: string | null;
  createdAt: Date;
  /** The newest delivery's status and time, when there is one. */
  lastDelivery: { status: DeliveryStatus; at: Date; lastStatus: number | null } | null;
}

export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

const ENDPOINTS = `
  SELECT e.id, e.event_type, e.channel, e.url, e.secret, e.recipients, e.active, e.disabled_reason, e.created_at,
         l.status AS last_status_name, l.updated_at AS last_at, l.last_status
    FROM notification_endpoints e
    LEFT JOIN LATERAL (SELECT d.status, d.updated_at, d.last_status FROM notification_deliveries d WHERE d.endpoint_id = e.id ORDER BY d.created_at DESC LIMIT 1) l ON true
   WHERE e.workspace_id = $1::uuid AND ($2::uuid IS NULL OR e.id = $2::uuid)
   ORDER BY e.event_type, e.created_at`;

interface EndpointRow {
  id: string;
  event_type: string;
  channel: 'webhook' | 'email';
  url: string | null;
  secret: string | null;
  recipients: string[];
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
  last_status_name: DeliveryStatus | null;
  last_at: Date | null;
  last_status: number | null;
}

const toItem = (r: EndpointRow): EndpointItem => ({
  id: r.id,
  eventType: r.event_type,
  channel: r.channel,
  url: r.url,
  recipients: r.recipients,
  maskedSecret: r.channel === 'webhook' ? maskSecret(r.secret) : null,
  active: r.active,
  disabledReason: r.disabled_reason,
  createdAt: r.created_at,
  lastDelivery: r.last_status_name ? { status: r.last_status_name, at: r.last_at!, lastStatus: r.last_status } : null,
});

/** The workspace's webhook endpoints and email subscriptions, by event type, each with its newest delivery's status. */
export async function listEndpoints(db: pg.Pool | pg.ClientBase, workspaceId: string): Promise<EndpointItem[]> {
  return (await db.query<EndpointRow>(ENDPOINTS, [workspaceId, null])).rows.map(toItem);
}

/** One endpoint of the workspace; another workspace's, or a malformed id, is not found. */
export async function getEndpoint(db: pg.Pool | pg.ClientBase, workspaceId: string, id: string): Promise<EndpointItem> {
  if (!z.uuid().safeParse(id).success) throw notFound('That notification endpoint');
  const row = (await db.query<EndpointRow>(ENDPOINTS, [workspaceId, id])).rows[0];
  if (!row) throw notFound('That notification endpoint');
  return toItem(row);
}

export interface AttemptItem {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  succeeded: boolean;
  resendBy: string | null;
}

export interface DeliveryItem {
  id: string;
  eventId: string;
  eventType: string;
  recordId: string;
  endpointId: string;
  endpointLabel: string;
  endpointActive: boolean;
  channel: 'webhook' | 'email';
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  attemptLog: AttemptItem[];
}

export const DELIVERY_LOG_LIMIT = 50;

/**
 * A delivery log, newest first (at most DELIVERY_LOG_LIMIT): an endpoint's deliveries, or a business
 * event's, each with every attempt in order.
 */
export async function listDeliveries(db: pg.Pool | pg.ClientBase, workspaceId: string, of: { endpointId: string } | { eventId: string }): Promise<DeliveryItem[]> {
  const byEndpoint = 'endpointId' in of;
  const { rows } = await db.query(
    `SELECT d.id, d.event_id, b.event_type, b.record_id, d.endpoint_id, coalesce(e.url, array_to_string(e.recipients, ', ')) AS endpoint_label, e.active AS endpoint_active,
            d.channel, d.status, d.attempts, d.max_attempts, d.next_attempt_at, d.created_at,
            coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'startedAt', a.started_at, 'durationMs', a.duration_ms, 'statusCode', a.status_code,
                                                        'responseExcerpt', a.response_excerpt, 'error', a.error, 'succeeded', a.succeeded, 'resendBy', a.resend_by) ORDER BY a.id)
                        FROM notification_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
       FROM notification_deliveries d
       JOIN notification_endpoints e ON e.id = d.endpoint_id
       JOIN business_events b ON b.id = d.event_id
      WHERE d.workspace_id = $1::uuid AND ${byEndpoint ? 'd.endpoint_id' : 'd.event_id'} = $2::uuid
      ORDER BY d.created_at DESC, d.id DESC
      LIMIT ${DELIVERY_LOG_LIMIT}`,
    [workspaceId, byEndpoint ? of.endpointId : of.eventId],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    recordId: r.record_id,
    endpointId: r.endpoint_id,
    endpointLabel: r.endpoint_label,
    endpointActive: r.endpoint_active,
    channel: r.channel,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    attemptLog: (r.attempt_log as (Omit<AttemptItem, 'startedAt'> & { startedAt: string })[]).map((a) => ({ ...a, startedAt: new Date(a.startedAt) })),
  }));
}

export interface CaughtEmailItem {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: Date;
}

/** Mail the demo's catcher kept for the workspace, newest first (the latest 100). */
export async function listCaughtEmails(db: pg.Pool | pg.ClientBase, workspaceId: string): Promise<CaughtEmailItem[]> {
  const { rows } = await db.query(
    `SELECT id::text, from_address, to_addresses, subject, text, received_at FROM caught_emails WHERE workspace_id = $1::uuid ORDER BY received_at DESC, id DESC LIMIT 100`,
    [workspaceId],
  );
  return rows.map(toMail);
}

export async function getCaughtEmail(db: pg.Pool | pg.ClientBase, workspaceId: string, id: string): Promise<CaughtEmailItem> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('That mail');
  const { rows } = await db.query(`SELECT id::text, from_address, to_addresses, subject, text, received_at FROM caught_emails WHERE workspace_id = $1::uuid AND id = $2::bigint`, [workspaceId, id]);
  if (!rows[0]) throw notFound('That mail');
  return toMail(rows[0]);
}

const toMail = (r: { id: string; from_address: string; to_addresses: string[]; subject: string; text: string; received_at: Date }): CaughtEmailItem => ({
  id: r.id,
  from: r.from_address,
  to: r.to_addresses,
  subject: r.subject,
  text: r.text,
  receivedAt: r.received_at,
});
