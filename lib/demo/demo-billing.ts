import type { WorkspaceScope } from '@/lib/auth/actor';
import { createConnector } from '@/lib/custom-events/connectors/save-connector';
import { withSource } from '@/lib/custom-events/connectors/source';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import type { PrismaClient } from '@/lib/db/prisma';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';

/**
 * The demo's billing database: a small `billing_demo` database on the console's own PostgreSQL server
 * (the embedded one under `npm start`, which runs with wal_level=logical), a connector to it mapped to
 * Account, Subscription, Invoice and Payment, running, and a few triggers, so a new user sees business
 * events within seconds. "Generate activity" makes realistic changes in it.
 */
export const DEMO_BILLING_DATABASE = 'billing_demo';
export const DEMO_CONNECTOR_NAME = 'billing-demo';

export const DEMO_BILLING_MAPPINGS = [
  'public.accounts -> Account',
  'public.subscriptions -> Subscription',
  'public.invoices -> Invoice',
  'public.payments -> Payment',
].join('\n');

const DEMO_TRIGGERS = [
  { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted'", description: 'An invoice was posted (demo).' },
  { eventType: 'LargeInvoicePaid', baseObject: 'Invoice', condition: "changed('Balance') && Invoice.Balance == 0 && Invoice.Amount > 1000", description: 'An invoice over 1,000 was paid in full (demo).' },
  { eventType: 'SubscriptionCancelled', baseObject: 'Subscription', condition: "changed('Status') && Subscription.Status == 'Cancelled'", description: 'A subscription was cancelled (demo).' },
];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accounts (
    id text PRIMARY KEY, name text NOT NULL, account_number text NOT NULL, status text NOT NULL DEFAULT 'Active',
    currency text NOT NULL DEFAULT 'EUR', balance numeric(12,2) NOT NULL DEFAULT 0, auto_pay boolean NOT NULL DEFAULT false,
    updated_date timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS subscriptions (
    id text PRIMARY KEY, name text NOT NULL, account_id text NOT NULL REFERENCES accounts(id), status text NOT NULL DEFAULT 'Active',
    term_start_date date NOT NULL, term_end_date date NOT NULL, auto_renew boolean NOT NULL DEFAULT true, cancelled_date date,
    updated_date timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS invoices (
    id text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts(id), invoice_number text NOT NULL, invoice_date date NOT NULL,
    due_date date NOT NULL, status text NOT NULL DEFAULT 'Draft', amount numeric(12,2) NOT NULL, balance numeric(12,2) NOT NULL,
    currency text NOT NULL DEFAULT 'EUR', updated_date timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS payments (
    id text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts(id), payment_number text NOT NULL, amount numeric(12,2) NOT NULL,
    effective_date date NOT NULL, status text NOT NULL DEFAULT 'Processed', currency text NOT NULL DEFAULT 'EUR',
    updated_date timestamptz NOT NULL DEFAULT now());
  ALTER TABLE accounts REPLICA IDENTITY FULL;
  ALTER TABLE subscriptions REPLICA IDENTITY FULL;
  ALTER TABLE invoices REPLICA IDENTITY FULL;
  ALTER TABLE payments REPLICA IDENTITY FULL;
  INSERT INTO accounts (id, name, account_number, auto_pay)
  SELECT 'A-' || lpad(i::text, 4, '0'), (ARRAY['Acme GmbH','Globex','Initech','Umbrella','Hooli','Stark Industries','Wayne Enterprises','Soylent'])[i],
         'A0000' || lpad(i::text, 4, '0'), i % 2 = 0
    FROM generate_series(1, 8) AS i
  ON CONFLICT (id) DO NOTHING;
  INSERT INTO subscriptions (id, name, account_id, term_start_date, term_end_date)
  SELECT 'S-' || lpad(i::text, 4, '0'), 'A-S0000' || lpad(i::text, 4, '0'), 'A-' || lpad(i::text, 4, '0'),
         current_date - (i * 20), current_date - (i * 20) + 365
    FROM generate_series(1, 8) AS i
  ON CONFLICT (id) DO NOTHING;`;

/** The connection string of the demo billing database on the same server as `consoleUrl`. */
export function demoBillingUrl(consoleUrl: string): string {
  const url = new URL(consoleUrl);
  url.pathname = `/${DEMO_BILLING_DATABASE}`;
  return url.toString();
}

/**
 * Creates the demo billing database, its connector and triggers in `scope`'s workspace when missing
 * (idempotent). Skipped, with the reason logged and returned, when the console's server cannot be a
 * logical-replication source (wal_level is not logical, as with a CI server): everything else still works.
 */
export async function seedDemoBilling(prisma: PrismaClient, scope: WorkspaceScope, consoleUrl: string): Promise<{ skipped: string | null }> {
  const walLevel = await withSource(consoleUrl, async (client) => (await client.query<{ wal_level: string }>('SHOW wal_level')).rows[0]!.wal_level);
  if (walLevel !== 'logical') {
    const reason = `the console's PostgreSQL has wal_level = ${walLevel} (logical is needed), so the demo billing database and its connector were not created`;
    logger.info({ reason }, 'demo change capture skipped');
    return { skipped: reason };
  }
  await withSource(consoleUrl, async (client) => {
    const exists = (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DEMO_BILLING_DATABASE])).rowCount! > 0;
    if (!exists) await client.query(`CREATE DATABASE ${DEMO_BILLING_DATABASE}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created meanwhile by another seed
    });
  });
  const sourceUrl = demoBillingUrl(consoleUrl);
  await withSource(sourceUrl, (client) => client.query(SCHEMA));
  for (const trigger of DEMO_TRIGGERS) {
    const taken = await prisma.trigger.findFirst({ where: { workspaceId: scope.workspaceId, eventType: trigger.eventType }, select: { id: true } });
    if (!taken) await createTrigger(prisma, scope, trigger);
  }
  if (!(await prisma.connector.findFirst({ where: { workspaceId: scope.workspaceId, name: DEMO_CONNECTOR_NAME }, select: { id: true } }))) {
    await createConnector(prisma, scope, { name: DEMO_CONNECTOR_NAME, sourceUrl, mappings: DEMO_BILLING_MAPPINGS });
    // The slot exists now, so this first activity is captured as soon as the server's runner starts it:
    // business events are there within seconds of the first start.
    await generateActivity(sourceUrl);
  }
  return { skipped: null };
}

export interface Activity {
  invoicesCreated: number;
  invoicesPosted: number;
  invoicesPaid: number;
  subscriptionsCancelled: number;
}

/**
 * Realistic activity in a demo billing database, a few transactions like a billing system's: drafts
 * invoices for some accounts, posts the drafts (some over 1,000), pays part of the posted ones in full
 * (a payment and the invoice's balance in one transaction), and cancels one active subscription.
 * Refused when the connector's source is not a demo billing database.
 */
export async function generateActivity(sourceUrl: string): Promise<Activity> {
  return withSource(sourceUrl, async (client) => {
    const tables = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`, [['accounts', 'subscriptions', 'invoices', 'payments']])).rows[0]!.n;
    if (tables < 4) throw new AppError('NOT_DEMO_SOURCE', 'Generate activity works on the demo billing database only (accounts, subscriptions, invoices and payments); this connector reads another database.');
    const inTx = async <T>(work: () => Promise<T>): Promise<T> => {
      await client.query('BEGIN');
      try {
        const result = await work();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    const created = await inTx(async () => (await client.query(CREATE_INVOICES)).rowCount ?? 0);
    const posted = await inTx(async () => (await client.query(`UPDATE invoices SET status = 'Posted', balance = amount, updated_date = now() WHERE status = 'Draft'`)).rowCount ?? 0);
    const paid = await inTx(async () => {
      const { rows } = await client.query<{ id: string }>(PAY_INVOICES);
      return rows.length;
    });
    const cancelled = await inTx(async () => (await client.query(CANCEL_SUBSCRIPTION)).rowCount ?? 0);
    return { invoicesCreated: created, invoicesPosted: posted, invoicesPaid: paid, subscriptionsCancelled: cancelled };
  });
}

const CREATE_INVOICES = `
  WITH numbered AS (SELECT coalesce(max(substr(id, 3)::int), 0) AS last FROM invoices),
       picked AS (SELECT id AS account_id, row_number() OVER () AS n FROM accounts WHERE status = 'Active' ORDER BY random() LIMIT 3)
  INSERT INTO invoices (id, account_id, invoice_number, invoice_date, due_date, amount, balance)
  SELECT 'I-' || lpad((last + n)::text, 5, '0'), account_id, 'INV' || lpad((last + n)::text, 8, '0'), current_date, current_date + 30,
         round((200 + random() * 2300)::numeric, 2) AS amount, 0
    FROM picked, numbered`;

const PAY_INVOICES = `
  WITH due AS (SELECT id, account_id, amount FROM invoices WHERE status = 'Posted' AND balance > 0 ORDER BY random() LIMIT 2),
       last AS (SELECT coalesce(max(substr(id, 3)::int), 0) AS last FROM payments),
       paid AS (INSERT INTO payments (id, account_id, payment_number, amount, effective_date)
                SELECT 'P-' || lpad((last + row_number() OVER ())::text, 5, '0'), account_id, 'P-' || lpad((last + row_number() OVER ())::text, 8, '0'), amount, current_date
                  FROM due, last RETURNING account_id)
  UPDATE invoices SET balance = 0, updated_date = now() WHERE id IN (SELECT id FROM due) RETURNING id`;

const CANCEL_SUBSCRIPTION = `
  UPDATE subscriptions SET status = 'Cancelled', cancelled_date = current_date, auto_renew = false, updated_date = now()
   WHERE id = (SELECT id FROM subscriptions WHERE status = 'Active' ORDER BY random() LIMIT 1)`;
