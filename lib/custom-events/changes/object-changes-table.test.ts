import { describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';

// The shape of object_changes that the changes path's throughput depends on (npm run bench -- changes):
// migrations 20261201130000_object_changes_without_record_index and 20261201140000_object_changes_values_not_analyzed.
describe('object_changes', () => {
  it('has no index by record: each one costs every stored change a random insert', async () => {
    const { rows } = await getPool().query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'object_changes' ORDER BY indexname`);
    expect(rows.map((r) => r.indexdef.replace(/^.* USING btree /, ''))).toEqual(['(id)', '(workspace_id, change_id)', '(workspace_id, changed_at)']);
  });

  it('collects no statistics on the values and changed fields, which no statement filters on', async () => {
    const { rows } = await getPool().query<{ attname: string; target: number | null }>(
      `SELECT attname, attstattarget::int AS target FROM pg_attribute WHERE attrelid = 'object_changes'::regclass AND attname IN ('current', 'previous', 'changed_fields', 'record_id') ORDER BY attname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.attname, r.target === 0]))).toEqual({ changed_fields: true, current: true, previous: true, record_id: false });
  });
});
