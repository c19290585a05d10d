import { inject } from 'vitest';
import { TEST_SECRETS_KEY } from '@/lib/testing/secrets-key';

process.env.DATABASE_URL = inject('databaseUrl');
// Session cookies are signed with this; tests need any 32+ character secret.
process.env.BETTER_AUTH_SECRET ??= 'test-secret-for-vitest-only-0123456789abcdef';
process.env.BETTER_AUTH_URL ??= 'http://localhost:3000';
// Webhook secrets and connector passwords are encrypted at rest under this (lib/security/secrets-at-rest.ts).
process.env.SECRETS_KEY ??= TEST_SECRETS_KEY;
// Runs that tests start are queued on a queue of the tests' own: `npm test` runs the end-to-end suite on the
// same database afterwards, and the app's workers (queue "meter-run") must not inherit the dozens of runs the
// integration tests left queued, some over large stores (they held the e2e runs Queued for minutes in CI).
// Test files that run workers set their own queue before this matters.
process.env.RUN_QUEUE_NAME ??= 'meter-run-vitest';
// Each test picks its path: the JetStream tests open streams of their own on TEST_NATS_URL
// (lib/custom-events/streaming/nats.ts). A NATS_URL left in the shell (the README sets it for the JetStream
// figures) would send every other test's changes through JetStream too: it becomes TEST_NATS_URL here.
if (process.env.NATS_URL) {
  process.env.TEST_NATS_URL ??= process.env.NATS_URL;
  delete process.env.NATS_URL;
}
