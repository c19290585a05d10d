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
 */
export default async function globalSetup(config: FullConfig) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DELETE FROM sign_in_attempts WHERE address IN ('127.0.0.1', '::1')`);
  await client.end();

  const baseURL = config.projects[0]!.use.baseURL!;
  const response = await fetch(`${baseURL}/api/v1/event-stores`);
  expect(response.status, 'an unauthenticated REST call is refused').toBe(401);
}
