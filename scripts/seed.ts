// `npm run seed`: (re)creates the demo workspace idempotently on the configured or embedded database.
// `--reset-demo-password` gives the demo account a new password and prints it.
import { closePool, getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { generatePassword, setPassword } from '@/lib/auth/create-user';
import { DEMO_USER } from '@/lib/demo/demo-definitions';
import { seedDemo } from '@/lib/demo/seed-demo';
import { exitWithError, resolveDatabase } from './lib/database';
import { ensureSecretsKey } from './lib/secrets-env';
import { printCredentials } from './lib/print-credentials';

async function main() {
  ensureSecretsKey('generate');
  const embedded = await resolveDatabase({ persistent: true });
  await prepareDatabase(process.env.DATABASE_URL!);
  const report = await seedDemo(getPrisma(), getPool());
  console.log(`Demo workspace ready; ${report.eventsInserted.toLocaleString('en')} new events.`);
  const url = `http://localhost:${process.env.PORT ?? 3000}`;
  if (report.createdUser) printCredentials(report.createdUser, url);
  else if (process.argv.includes('--reset-demo-password')) {
    const password = generatePassword();
    await setPassword(getPrisma(), DEMO_USER.email, password);
    printCredentials({ email: DEMO_USER.email, password }, url);
  }
  await disconnectPrisma();
  await closePool();
  await embedded?.stop();
}

main().catch(exitWithError);
