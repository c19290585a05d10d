import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect, type FullConfig } from '@playwright/test';
import pg from 'pg';

/**
 * Runs once the server is up, before any spec.
 *
 * 1. Forgets sign-in attempts made from this machine by earlier runs on the same database: the per-address
 *    limit (20 failures in 15 minutes) counts every spec's wrong passwords, so a second run within 15
 *    minutes would otherwise start locked out.
 * 2. Makes the fresh server's first contact a REST call, before any page, as a script or a monitor does
 *    against `npm start`. The server bundles route handlers and pages separately, each with its own copy
 *    of the libraries, while process-wide singletons (the Better Auth instance) are made by whichever
 *    bundle asks first. Specs always open a page first, so without this the suite never saw the order
 *    that broke sign-in: errors thrown by the route handlers' copy of Better Auth and checked against
 *    the pages' copy.
 * 3. Starts the account maker (e2e/user-server.ts) that `addUser` in the fixtures calls, and stops it after
 *    the run. Its address reaches the specs' workers in E2E_USER_SERVER.
 */
export default async function globalSetup(config: FullConfig) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DELETE FROM sign_in_attempts WHERE address IN ('127.0.0.1', '::1')`);
  await client.end();

  const baseURL = config.projects[0]!.use.baseURL!;
  const response = await fetch(`${baseURL}/api/v1/event-stores`);
  expect(response.status, 'an unauthenticated REST call is refused').toBe(401);

  const users = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'e2e/user-server.ts'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: process.env });
  const ready = await new Promise<string>((resolve, reject) => {
    users.once('exit', (code) => reject(new Error(`The e2e account maker exited (code ${code}) before it was ready.`)));
    const lines = createInterface({ input: users.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice('ready '.length));
    });
  });
  process.env.E2E_USER_SERVER = ready;
  return () => {
    users.kill();
  };
}
