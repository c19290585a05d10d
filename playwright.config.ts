import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/find-chromium';

// Run through `npm test` (scripts/test.ts): it provides the database and the browser. The server is what
// `npm start` runs (scripts/start.ts: migrations, the production build when sources changed, then
// scripts/serve.mjs), so the specs test exactly that, never a stale build or another launcher.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  globalSetup: './e2e/global-setup.ts',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    // A trace records every action of every test and is kept only for a failure: ~8 % of the suite's time on a
    // 2-core machine (28 specs: 207-212 s with it, 193 s without). CI prints its output and keeps no files, so
    // there it is off; a local run keeps the trace of a failing test for `npx playwright show-trace`.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS } },
    },
  ],
  webServer: {
    command: `"${process.execPath}" node_modules/tsx/dist/cli.mjs scripts/start.ts`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // Long enough for `next build` on a slow machine when the build is stale (`npm test` builds first).
    timeout: 600_000,
    // Short notification retries (500 ms, 1 s, …) keep the delivery specs to seconds.
    env: { PORT: String(port), NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' },
  },
});
