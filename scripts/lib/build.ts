import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INPUT_DIRS = ['app', 'components', 'lib', 'public'];
const INPUT_FILES = ['next.config.js', 'proxy.ts', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'prisma/schema.prisma'];
const STAMP = path.join('.next', 'source-fingerprint');

/** A hash of the sources the production build depends on (paths, sizes and contents' mtimes). */
export function sourceFingerprint(root = process.cwd()): string {
  const hash = createHash('sha256');
  const visit = (file: string) => {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file).sort()) visit(path.join(file, entry));
    } else {
      hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  for (const item of [...INPUT_DIRS, ...INPUT_FILES]) {
    const full = path.join(root, item);
    if (existsSync(full)) visit(full);
  }
  return hash.digest('hex');
}

/** Runs `next build` unless .next already holds a build of exactly these sources. */
export function buildIfStale(): void {
  const fingerprint = sourceFingerprint();
  const built = existsSync(path.join('.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint;
  if (built) {
    console.log('Production build is up to date.');
    return;
  }
  console.log('Building the console (next build)…');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    console.error('error: next build failed (see above).');
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, fingerprint);
}
