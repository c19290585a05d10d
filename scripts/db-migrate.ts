// `npm run db:migrate`: applies pending migrations to the configured or embedded database.
import { prepareDatabase } from '@/lib/db/prepare-database';
import { exitWithError, resolveDatabase } from './lib/database';

async function main() {
  const embedded = await resolveDatabase({ persistent: true });
  const report = await prepareDatabase(process.env.DATABASE_URL!);
  console.log(report.applied.length ? `Applied: ${report.applied.join(', ')}` : 'The database is up to date.');
  await embedded?.stop();
}

main().catch(exitWithError);
