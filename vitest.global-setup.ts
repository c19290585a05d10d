import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './lib/db/embedded-postgres';
import { prepareDatabase } from './lib/db/prepare-database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseEmbedded: boolean;
  }
}

let embedded: EmbeddedPostgres | undefined;

/** Integration tests run against DATABASE_URL, or an in-memory embedded PostgreSQL when it is unset. */
export async function setup(project: TestProject) {
  if (!process.env.DATABASE_URL) embedded = await startEmbeddedPostgres({ maxConnections: 16 });
  const url = process.env.DATABASE_URL ?? embedded!.url;
  await prepareDatabase(url);
  project.provide('databaseUrl', url);
  project.provide('databaseEmbedded', Boolean(embedded) || process.env.DATABASE_EMBEDDED === '1');
}

export async function teardown() {
  await embedded?.stop();
}
