// `npm run bench -- [suite ...] [--json FILE]`: runs the named suites (all when none is named) against
// DATABASE_URL or an embedded PostgreSQL in a temporary directory, prints a table of figures with their targets, and with
// --json writes them as a JSON array of {suite, name, value, unit}. Progress goes to stderr.
import os from 'node:os';
import { describeMachineCosts, measureMachineCosts } from '@/lib/bench/machine-costs';
import { parseBenchArgs, formatTable, meetsTarget, writeFiguresJson } from '@/lib/bench/report';
import { SUITES } from '@/lib/bench/suites';
import type { Figure } from '@/lib/bench/types';
import { describeDatabaseUrl } from '@/lib/db/connection';
import { closePool, getWorkPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { prepareDatabase } from '@/lib/db/prepare-database';
import { ensureAuthEnv } from './lib/auth-env';
import { ensureSecretsKey } from './lib/secrets-env';
import { exitWithError, resolveDatabase } from './lib/database';

async function main() {
  const args = parseBenchArgs(process.argv.slice(2), SUITES.map((s) => s.name));
  // The REST figures call route handlers in this process; they need Better Auth's settings.
  ensureAuthEnv({ persistent: false, url: 'http://127.0.0.1' });
  ensureSecretsKey('test');
  const embedded = await resolveDatabase({ persistent: false });
  const url = process.env.DATABASE_URL!;
  const cpus = os.cpus();
  console.log(
    `Database: ${embedded ? 'embedded PostgreSQL 18, in a temporary directory' : `${describeDatabaseUrl(url).label} (DATABASE_URL)`}; ` +
      `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; ` +
      // Measured before any suite runs: what this machine's kernel charges for the operations the figures lean on.
      describeMachineCosts(measureMachineCosts()),
  );
  await prepareDatabase(url);

  // Long statements (a 1,000,000-row COPY, deleting the bench's workspace) run past the requests' 30 s timeout.
  const context = { pool: getWorkPool(), prisma: getPrisma(), embedded: Boolean(embedded), log: (line: string) => console.error(line) };
  const figures: Figure[] = [];
  try {
    for (const suite of SUITES.filter((s) => args.suites.includes(s.name))) {
      console.error(`${suite.name}: ${suite.description}`);
      figures.push(...(await suite.run(context)));
    }
  } finally {
    await disconnectPrisma();
    await closePool();
    await embedded?.stop();
  }

  console.log(`\n${formatTable(figures)}`);
  const targets = figures.filter((f) => f.target);
  if (targets.length) console.log(`\n${targets.filter(meetsTarget).length} of ${targets.length} targets met.`);
  if (args.json) {
    writeFiguresJson(args.json, figures);
    console.log(`Wrote ${figures.length} figures to ${args.json}.`);
  }
}

main().catch(exitWithError);
