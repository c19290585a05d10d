import type pg from 'pg';

export type FilterIndexState = 'ready' | 'building' | 'missing';

/**
 * The state of the filter index of each named payload field (any field not indexed anywhere: 'missing').
 * A field's index is `events_filter_<first 16 hex digits of md5(field)>` on `events`: 'ready' once
 * PostgreSQL marks it valid, 'building' while CREATE INDEX CONCURRENTLY is still filling it.
 */
export async function filterIndexStates(db: pg.Pool | pg.PoolClient, fields: readonly string[]): Promise<Map<string, FilterIndexState>> {
  const states = new Map<string, FilterIndexState>(fields.map((f) => [f, 'missing']));
  if (fields.length === 0) return states;
  const { rows } = await db.query<{ field: string; valid: boolean }>(
    `SELECT f.field, i.indisvalid AS valid
       FROM unnest($1::text[]) AS f(field)
       JOIN pg_index i ON i.indexrelid = to_regclass(quote_ident('events_filter_' || left(md5(f.field), 16)))
      WHERE i.indrelid = 'events'::regclass`,
    [[...new Set(fields)]],
  );
  for (const row of rows) states.set(row.field, row.valid ? 'ready' : 'building');
  return states;
}
