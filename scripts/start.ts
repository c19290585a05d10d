// `npm start`: database (DATABASE_URL, or the embedded one under .data/), migrations, demo data on first
// start, production build when sources changed, then the console (scripts/serve.mjs: Next's handler in
// our own http server). `npm run dev` does the same with
// `next dev` and no build.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getPool, closePool } from '@/lib/db/pool';
import { getPrisma, disconnectPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { sealLegacySecrets } from '@/lib/security/secrets-at-rest';
import { ensureDemoData } from '@/lib/demo/ensure-demo-data';
import { describeDatabaseUrl } from '@/lib/db/connection';
import { buildIfStale } from './lib/build';
import { ensureAuthEnv } from './lib/auth-env';
import { ensureSecretsKey } from './lib/secrets-env';
import { EMBEDDED_DATA_DIR, exitWithError, resolveDatabase } from './lib/database';
import { printCredentials } from './lib/print-credentials';
import { SERVER_NODE_FLAGS } from './lib/server-node-flags';

async function main() {
  const dev = process.argv.includes('--dev');
  const port = process.env.PORT ?? '3000';
  ensureAuthEnv({ persistent: true, url: `http://localhost:${port}` });
  ensureSecretsKey('generate');
  const embedded = await resolveDatabase({ persistent: true });
  // Ctrl-C or SIGTERM: stop the console first, then the database (a clean shutdown of both). Before the
  // console is up, only the database is left to stop.
  const app: { process?: ChildProcess } = {};
  const stop = async (signal: NodeJS.Signals) => {
    if (app.process && app.process.exitCode === null) return void app.process.kill(signal);
    await embedded?.stop().catch(() => undefined);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const url = process.env.DATABASE_URL!;
  console.log(
    embedded
      ? `Database: embedded PostgreSQL 18, data in ${path.relative(process.cwd(), EMBEDDED_DATA_DIR)}, serving on 127.0.0.1:${embedded.port}`
      : `Database: ${describeDatabaseUrl(url).label} (DATABASE_URL)`,
  );
  const migrations = await prepareDatabase(url);
  if (migrations.applied.length) console.log(`Applied migrations: ${migrations.applied.join(', ')}`);
  // Secrets stored before encryption (or under SECRETS_KEY_PREVIOUS) are sealed with SECRETS_KEY now.
  const secrets = await sealLegacySecrets(getPool());
  if (secrets.sealed) console.log(`Encrypted ${secrets.sealed} stored secret(s) with SECRETS_KEY.`);
  if (secrets.unreadable) console.warn(`Warning: ${secrets.unreadable} stored secret(s) cannot be decrypted and were left as they are. ${secrets.firstError}`);
  const seeded = await ensureDemoData(getPrisma(), getPool());
  if (seeded) console.log(`Created the demo workspace with ${seeded.eventsInserted.toLocaleString('en')} events.`);
  if (seeded?.createdUser) printCredentials(seeded.createdUser, `http://localhost:${port}`);
  await disconnectPrisma();
  await closePool();

  if (!dev) buildIfStale();
  // Production: our own small server around Next's handler (scripts/serve.mjs), so the caller's address
  // that sign-in throttling counts is the socket's, not a header the caller chose.
  const command = dev ? [require.resolve('next/dist/bin/next'), 'dev', '-p', port] : [...SERVER_NODE_FLAGS, 'scripts/serve.mjs', '-p', port];
  // The production server gets an IPC channel so that it exits when this launcher dies, even by kill -9
  // (scripts/lib/exit-with-parent.mjs); `next dev` keeps plain stdio, as Next uses IPC of its own.
  const next = (app.process = spawn(process.execPath, command, {
    stdio: dev ? 'inherit' : ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  }));
  console.log(`Console: http://localhost:${port}`);
  next.on('exit', async (code) => {
    await embedded?.stop().catch(() => undefined);
    process.exit(code ?? 0);
  });
}

main().catch(exitWithError);
