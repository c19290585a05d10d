import { getWorkPool } from '@/lib/db/pool';
import { logger } from '@/lib/logger';
import { createMailTransport } from '@/lib/notifications/email';
import { startDeliveryWorker, type DeliveryWorker } from '@/lib/notifications/delivery-worker';
import { startMailCatcher, type MailCatcher } from '@/lib/notifications/mail-catcher';

export interface Notifications {
  worker: DeliveryWorker;
  catcher: MailCatcher | null;
  /** Stops the worker (after its attempts in flight), then the catcher. */
  stop(): Promise<void>;
}

const globalForNotifications = globalThis as unknown as { appNotifications?: Promise<Notifications> };

/** The console's address for links in mail: APP_URL, else BETTER_AUTH_URL, else localhost:PORT. */
export function appUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.APP_URL ?? env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT ?? 3000}`;
}

/**
 * Starts delivering notifications in this process: the delivery worker and, without SMTP_URL, the mail
 * catcher it mails to (the app process, or `npm run worker`).
 */
export async function startNotifications(): Promise<Notifications> {
  const pool = getWorkPool();
  const timeoutMs = Number(process.env.NOTIFY_TIMEOUT_MS ?? 15_000);
  const smtpUrl = process.env.SMTP_URL || undefined;
  // Without SMTP_URL (the demo), mail goes to an in-process catcher that the console shows.
  const catcher = smtpUrl ? null : await startMailCatcher(pool, Number(process.env.SMTP_CATCHER_PORT ?? 0));
  const mail = createMailTransport({ smtpUrl, catcherPort: catcher?.port, timeoutMs });
  const worker = startDeliveryWorker({ pool, appUrl: appUrlFromEnv(), mail, timeoutMs });
  logger.info({ mail: smtpUrl ? 'SMTP_URL' : `catcher on 127.0.0.1:${catcher!.port}` }, 'notification delivery started');
  return {
    worker,
    catcher,
    async stop() {
      await worker.stop();
      await catcher?.stop();
    },
  };
}

/**
 * The app process's delivery worker and mail catcher (instrumentation.ts), once per process. Not awaited
 * by the server's start; stopped on SIGTERM/SIGINT after the attempts in flight end.
 */
export function startAppNotifications(): void {
  if (globalForNotifications.appNotifications) return;
  globalForNotifications.appNotifications = startNotifications();
  const stop = () => void globalForNotifications.appNotifications?.then((n) => n.stop()).catch(() => undefined);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  globalForNotifications.appNotifications.catch((error: unknown) => {
    globalForNotifications.appNotifications = undefined;
    logger.error({ err: error }, 'notification delivery did not start; deliveries stay queued until the app restarts');
  });
}
