import type pg from 'pg';

/** The columns of a usage record, in the order the page and the CSV show them. */
export const USAGE_RECORD_COLUMNS = [
  'accountNumber',
  'subscriptionNumber',
  'chargeNumber',
  'unitOfMeasure',
  'quantity',
  'startDateTime',
  'endDateTime',
  'uniqueKey',
] as const;

export interface UsageRecordRow {
  id: string;
  meterId: string;
  meterName: string;
  accountNumber: string;
  subscriptionNumber: string | null;
  chargeNumber: string | null;
  unitOfMeasure: string;
  /** Exact decimal text, never a float. */
  quantity: string;
  startDateTime: Date;
  endDateTime: Date;
  uniqueKey: string;
  updatedAt: Date;
}

/** Where a page ends: the next (older) page starts strictly before it. */
export interface UsageCursor {
  start: Date;
  id: string;
}

export interface UsageRecordQuery {
  meterId?: string;
  accountNumber?: string;
  before?: UsageCursor;
  limit: number;
}

/**
 * One keyset page of the workspace's usage records, newest start first (then id), optionally for one
 * meter and one account. Seeks on (workspace_id[, account_number], start_date_time DESC, id DESC); never
 * OFFSET. Fetches one extra row to know whether an older page exists.
 */
export async function listUsageRecords(db: pg.Pool, workspaceId: string, query: UsageRecordQuery): Promise<{ rows: UsageRecordRow[]; next: UsageCursor | null }> {
  const params: unknown[] = [workspaceId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions = ['u.workspace_id = $1::uuid'];
  if (query.meterId) conditions.push(`u.meter_id = ${param(query.meterId)}::uuid`);
  if (query.accountNumber) conditions.push(`u.account_number = ${param(query.accountNumber)}`);
  if (query.before) conditions.push(`(u.start_date_time, u.id) < (${param(query.before.start)}::timestamptz, ${param(query.before.id)}::bigint)`);
  const { rows } = await db.query<UsageRecordRow>(
    `SELECT u.id::text AS "id", u.meter_id AS "meterId", m.name AS "meterName", u.account_number AS "accountNumber",
            u.subscription_number AS "subscriptionNumber", u.charge_number AS "chargeNumber", u.unit_of_measure AS "unitOfMeasure",
            u.quantity::text AS "quantity", u.start_date_time AS "startDateTime", u.end_date_time AS "endDateTime",
            u.unique_key AS "uniqueKey", u.updated_at AS "updatedAt"
       FROM usage_records u JOIN meters m ON m.id = u.meter_id
      WHERE ${conditions.join(' AND ')}
      ORDER BY u.start_date_time DESC, u.id DESC
      LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: more && last ? { start: last.startDateTime, id: last.id } : null };
}

export const encodeUsageCursor = (c: UsageCursor) => `${c.start.toISOString()}|${c.id}`;

/** The cursor from a link, or undefined when it is not one of ours. */
export function decodeUsageCursor(text: string | null | undefined): UsageCursor | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|(\d{1,19})$/.exec(text ?? '');
  if (!match) return undefined;
  const start = new Date(match[1]!);
  return Number.isNaN(start.getTime()) ? undefined : { start, id: match[2]! };
}
