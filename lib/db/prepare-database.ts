import { assertDatabaseReachable } from '@/lib/db/connection';
import { applyMigrations, type MigrationReport } from '@/lib/db/migrate';
import { withClient } from '@/lib/db/with-client';

/**
 * What every launcher does before the app serves: check the server answers (one clear line if not),
 * then apply pending migrations. Safe to run from several processes at once.
 */
export async function prepareDatabase(url: string): Promise<MigrationReport> {
  await assertDatabaseReachable(url);
  return withClient(url, (client) => applyMigrations(client));
}
