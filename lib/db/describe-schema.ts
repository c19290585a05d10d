import type pg from 'pg';

/**
 * A normalized, sorted description of the tables, columns, indexes, constraints and enums in the current
 * schema, one line each: two databases with equal descriptions have the same shape. The migration
 * history table is left out.
 */
export async function describeSchema(client: pg.ClientBase): Promise<string[]> {
  const columns = await client.query<Record<string, string | null>>(`
    SELECT table_name, column_name, data_type, udt_name, character_maximum_length::text AS len,
           numeric_precision::text AS prec, numeric_scale::text AS scale, datetime_precision::text AS dt_prec,
           is_nullable, column_default
      FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`);
  const indexes = await client.query<{ indexname: string; indexdef: string }>(`
    SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`);
  const constraints = await client.query<{ tbl: string; conname: string; def: string }>(`
    SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
      FROM pg_constraint
     WHERE connamespace = current_schema()::regnamespace AND conrelid <> 0
       AND conrelid::regclass::text NOT LIKE '%_prisma_migrations'`);
  const enums = await client.query<{ typname: string; labels: string }>(`
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typnamespace = current_schema()::regnamespace
     GROUP BY t.typname`);
  return [
    ...columns.rows.map(
      (c) =>
        `column ${c.table_name}.${c.column_name} ${c.data_type}/${c.udt_name}` +
        `(${[c.len, c.prec, c.scale, c.dt_prec].map((v) => v ?? '').join(',')}) ` +
        `${c.is_nullable === 'YES' ? 'null' : 'not null'} default ${c.column_default ?? '-'}`,
    ),
    ...indexes.rows.map((i) => `index ${i.indexname}: ${i.indexdef}`),
    ...constraints.rows.map((c) => `constraint ${c.tbl}.${c.conname}: ${c.def}`),
    ...enums.rows.map((e) => `enum ${e.typname}: ${e.labels}`),
  ].sort();
}
