/**
 * Runs once when a server process starts (Next's instrumentation hook). The app executes meter runs in
 * its own process by default: it starts the run workers here, in the Node.js runtime only, unless
 * RUN_WORKERS=0 (then only `npm run worker` processes run them). Never during `next build`. With NATS_URL set,
 * it also starts the JetStream change workers (lib/custom-events/streaming), under the same RUN_WORKERS switch.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.RUN_WORKERS === '0' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startAppRunWorkers } = await import('@/lib/runs/worker');
  startAppRunWorkers();
  // With NATS_URL: the change workers of the JetStream path (issue 14); without it, nothing starts.
  if (process.env.NATS_URL) {
    // The work pool: the partitions' transactions must not take the web requests' connections.
    const [{ startAppStreamingWorkers }, { getWorkPool }] = await Promise.all([import('@/lib/custom-events/streaming/start-streaming'), import('@/lib/db/pool')]);
    startAppStreamingWorkers(getWorkPool());
  }
}
