import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './lib/db/embedded-postgres';
import { prepareDatabase } from './lib/db/prepare-database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedPostgres | undefined;

/** Integration tests run against DATABASE_URL, or an embedded PostgreSQL in a temporary directory when it is unset. */
export async function setup(project: TestProject) {
  if (!process.env.DATABASE_URL) embedded = await startEmbeddedPostgres();
  const url = process.env.DATABASE_URL ?? embedded!.url;
  await prepareDatabase(url);
  project.provide('databaseUrl', url);
}

export async function teardown() {
  await embedded?.stop();
}
