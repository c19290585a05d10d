import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start with DATABASE_URL pointing at a server that is down', () => {
  it('exits non-zero with one clear line naming host and port, and no stack dump', () => {
    const result = spawnSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts'], {
      env: { ...process.env, DATABASE_URL: 'postgresql://postgres:hunter2@127.0.0.1:9/usage', PORT: '3999' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: Cannot connect to PostgreSQL at 127\.0\.0\.1:9 \(database "usage"\): connection refused\./);
    expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });
});
