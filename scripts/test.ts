// `npm test`: the whole suite. Unit and integration tests (Vitest) against DATABASE_URL or an embedded
// PostgreSQL in a temporary directory, then end-to-end tests (Playwright in Chromium) against the production build.
// Ends with one line "N passed, N failed". `--e2e-only` skips Vitest (for iterating on specs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { closePool, getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { describeDatabaseUrl } from '@/lib/db/connection';
import { seedDemo } from '@/lib/demo/seed-demo';
import { buildIfStale } from './lib/build';
import { ensureAuthEnv } from './lib/auth-env';
import { ensureSecretsKey } from './lib/secrets-env';
import { exitWithError, resolveDatabase } from './lib/database';
import { ensureChromium } from './lib/ensure-chromium';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

async function main() {
  const e2eOnly = process.argv.includes('--e2e-only');
  // `npm run test:e2e -- e2e/some.spec.ts`: the named specs only (arguments go to Playwright).
  const specs = process.argv.slice(2).filter((arg) => arg !== '--e2e-only');
  const chromium = ensureChromium();
  ensureAuthEnv({ persistent: false, url: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}` });
  ensureSecretsKey('test');
  const embedded = await resolveDatabase({ persistent: false });
  const url = process.env.DATABASE_URL!;
  console.log(embedded ? 'Database: embedded PostgreSQL 18, in a temporary directory' : `Database: ${describeDatabaseUrl(url).label} (DATABASE_URL)`);
  await prepareDatabase(url);
  await seedDemo(getPrisma(), getPool());
  await disconnectPrisma();
  await closePool();

  rmSync('test-results', { recursive: true, force: true });
  mkdirSync('test-results', { recursive: true });
  const env = { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: '1' };

  let unit: Tally = { passed: 0, failed: 0, skipped: 0 };
  let unitExit = 0;
  if (!e2eOnly) {
    unitExit = await runNode(['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'], env);
    unit = readVitest('test-results/vitest.json');
  }

  buildIfStale();
  const e2eExit = await runNode(['node_modules/@playwright/test/cli.js', 'test', ...specs], env);
  const e2e = readPlaywright('test-results/playwright.json');

  await embedded?.stop();
  if (!e2eOnly) console.log(`\nUnit and integration (Vitest): ${unit.passed} passed, ${unit.failed} failed`);
  if (unitExit !== 0 && unit.failed === 0) console.log('Vitest exited with an error outside any test (an unhandled error: see "Unhandled Errors" above); counted as 1 failure.');
  if (e2eExit !== 0 && e2e.failed === 0) console.log('Playwright exited with an error outside any test (see above); counted as 1 failure.');
  console.log(`End-to-end (Playwright, Chromium): ${e2e.passed} passed, ${e2e.failed} failed`);
  const failed = unit.failed + e2e.failed + (unitExit !== 0 && unit.failed === 0 ? 1 : 0) + (e2eExit !== 0 && e2e.failed === 0 ? 1 : 0);
  console.log(`${unit.passed + e2e.passed} passed, ${failed} failed`);
  process.exit(failed > 0 || unit.passed + e2e.passed === 0 ? 1 : 0);
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function readVitest(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function readPlaywright(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
}

main().catch(exitWithError);
