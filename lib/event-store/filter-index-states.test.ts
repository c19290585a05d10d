import { createHash, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '@/lib/db/pool';
import { filterIndexStates } from '@/lib/event-store/filter-indexes';

// The contract the store page relies on (its hints): the index of a field is found by its name alone.
const indexName = (field: string) => `events_filter_${createHash('md5').update(field).digest('hex').slice(0, 16)}`;
const made: string[] = [];

async function makeIndex(field: string, valid: boolean) {
  const name = indexName(field);
  made.push(name);
  await getPool().query(`CREATE INDEX "${name}" ON events ((payload ->> '${field}')) WHERE false`);
  // What CREATE INDEX CONCURRENTLY leaves in the catalog while it is still filling the index.
  if (!valid) await getPool().query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = $1::regclass`, [name]);
}

afterAll(async () => {
  for (const name of made) await getPool().query(`DROP INDEX IF EXISTS "${name}"`);
  await closePool();
});

describe('filterIndexStates', () => {
  it('says ready for a valid index, building for one not yet valid, missing for a field without one', async () => {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
    const [ready, building, missing] = ['ready', 'building', 'missing'].map((s) => `${s}_${suffix}`) as [string, string, string];
    await makeIndex(ready, true);
    await makeIndex(building, false);
    const states = await filterIndexStates(getPool(), [ready, building, missing, ready]);
    expect(Object.fromEntries(states)).toEqual({ [ready]: 'ready', [building]: 'building', [missing]: 'missing' });
  });

  it('answers an empty map for no fields, and missing for names an index name could not hold', async () => {
    expect((await filterIndexStates(getPool(), [])).size).toBe(0);
    const odd = `we"ird'name ${randomUUID()}`;
    expect((await filterIndexStates(getPool(), [odd])).get(odd)).toBe('missing');
  });
});
