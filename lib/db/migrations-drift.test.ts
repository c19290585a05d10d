import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSchema } from '@/lib/db/describe-schema';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations } from '@/lib/db/migrate';
import { diffSchemas } from '@/lib/db/schema-diff';
import { withClient } from '@/lib/testing/fresh-database';

/**
 * The drift guard: the database that prisma/migrations build must have exactly the shape Prisma itself
 * would create from prisma/schema.prisma. Fails when the schema changed without a migration
 * ("npm run db:migration -- <name>" writes one) or when a migration was hand-edited away from the schema.
 */
describe('prisma/schema.prisma and prisma/migrations', () => {
  it('describe the same database', async () => {
    const expectedSql = await diffSchemas('empty', path.join('prisma', 'schema.prisma'));
    const fromSchema = await startEmbeddedPostgres();
    const fromMigrations = await startEmbeddedPostgres();
    try {
      const expected = await withClient(fromSchema.url, async (c) => {
        await c.query(expectedSql);
        return describeSchema(c);
      });
      const actual = await withClient(fromMigrations.url, async (c) => {
        await applyMigrations(c);
        return describeSchema(c);
      });
      expect(expected.length).toBeGreaterThan(10);
      expect(actual).toEqual(expected);
    } finally {
      await fromSchema.stop();
      await fromMigrations.stop();
    }
  });
});
