import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './server-node-flags';

describe('the server and the bench run Node alike', () => {
  it('npm run bench passes every flag the production server gets', () => {
    const bench = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.bench!;
    for (const flag of SERVER_NODE_FLAGS) expect(bench.split(' ')).toContain(flag);
  });
});
