/**
 * Runs once when a server process starts (Next's instrumentation hook). The app executes meter runs in
 * its own process by default: it starts the run workers here, in the Node.js runtime only, unless
 * RUN_WORKERS=0 (then only `npm run worker` processes run them); notification delivery and the
 * date-trigger scheduler likewise; and the change-capture connector runner (unless CONNECTOR_RUNNER=0).
 * Never during `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.RUN_WORKERS === '0' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startAppRunWorkers } = await import('@/lib/runs/worker');
  startAppRunWorkers();
  // Notification delivery (webhooks, mail) and, without SMTP_URL, the demo's mail catcher.
  const { startAppNotifications } = await import('@/lib/notifications/start-notifications');
  startAppNotifications();
  // Date triggers are evaluated every minute in the server too (each process may; none fires twice).
  const { startDateTriggerScheduler } = await import('@/lib/custom-events/date-triggers/scheduler');
  startDateTriggerScheduler();
  // Change-capture connectors whose desired state is running (one process per connector, under a lock).
  if (process.env.CONNECTOR_RUNNER !== '0') {
    const [{ startAppConnectorRunner }, { getWorkPool }] = await Promise.all([import('@/lib/custom-events/connectors/runner'), import('@/lib/db/pool')]);
    startAppConnectorRunner(getWorkPool());
  }
}
