/**
 * Runs once when a server process starts (Next's instrumentation hook). The app does its background work in
 * its own process by default, in the Node.js runtime only: the meter run workers, notification delivery,
 * the date-trigger scheduler, the filter-index sync and, with NATS_URL set, the JetStream change workers (lib/custom-events/streaming),
 * unless RUN_WORKERS=0 (then only `npm run worker` processes do it); and the change-capture connector runner
 * unless CONNECTOR_RUNNER=0. Never during `next build`.
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
  // Filter indexes follow the definitions' indexed fields (built and dropped CONCURRENTLY, one process at a time).
  const { startFilterIndexSync } = await import('@/lib/event-store/filter-indexes');
  startFilterIndexSync();
  const { getWorkPool } = await import('@/lib/db/pool');
  // Change-capture connectors whose desired state is running (one process per connector, under a lock).
  if (process.env.CONNECTOR_RUNNER !== '0') {
    const { startAppConnectorRunner } = await import('@/lib/custom-events/connectors/runner');
    startAppConnectorRunner(getWorkPool());
  }
  // With NATS_URL: the change workers of the JetStream path; the work pool, so the partitions' transactions
  // do not take the web requests' connections. Without it, nothing starts.
  if (process.env.NATS_URL) {
    const { startAppStreamingWorkers } = await import('@/lib/custom-events/streaming/start-streaming');
    startAppStreamingWorkers(getWorkPool());
  }
}
