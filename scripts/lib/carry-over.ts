import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isEmbeddedClusterInitialised, startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { recoverStaleLock } from '@/lib/db/embedded-postgres-lock';
import { carryOverPglite } from '@/lib/db/pglite-carry-over';

/**
 * Earlier versions kept the embedded database in .data/pglite (PGlite). On the first start without
 * .data/postgres, its data is copied into a new cluster built beside it (.data/postgres.carry-over), which
 * takes the place of .data/postgres only once the copy is complete; the PGlite files are then kept as
 * .data/pglite.migrated-<date>, never deleted. An interrupted carry-over starts again from scratch.
 */
export async function carryOverLegacyData(dataRoot: string, dataDir: string, options: { chunkPages?: number } = {}): Promise<void> {
  const legacy = path.join(dataRoot, 'pglite');
  if (!existsSync(legacy)) return;
  if (isEmbeddedClusterInitialised(dataDir)) {
    console.log(`Note: ${legacy} (the database of an earlier version) was left as it is, since ${dataDir} exists.`);
    return;
  }
  console.log(`Carrying over the embedded database of an earlier version (${legacy}) to ${dataDir}...`);
  const staging = `${dataDir}.carry-over`;
  if (existsSync(staging)) await recoverStaleLock(staging);
  rmSync(staging, { recursive: true, force: true });
  rmSync(`${staging}.password`, { force: true });
  const server = await startEmbeddedPostgres({ dataDir: staging, port: 0 });
  let report;
  try {
    report = await carryOverPglite(legacy, server.url, options);
  } finally {
    await server.stop();
  }
  // The password first: a crash before the directory's rename leaves no cluster, so the next start redoes it.
  renameSync(`${staging}.password`, `${dataDir}.password`);
  rmSync(dataDir, { recursive: true, force: true }); // at most an unfinished initdb (checked above)
  renameSync(staging, dataDir);
  const aside = `${legacy}.migrated-${new Date().toISOString().slice(0, 10)}`;
  renameSync(legacy, existsSync(aside) ? `${aside}-${Date.now()}` : aside);
  const total = Object.values(report.rows).reduce((sum, n) => sum + n, 0);
  console.log(
    `Carried over ${total.toLocaleString('en')} rows in ${Object.keys(report.rows).length} tables; ` +
      `the old files are kept in ${path.basename(aside)}.`,
  );
}
