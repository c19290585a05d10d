// Configuration for the offline Prisma 6.19 CLI (installed as the alias "prisma-migrate-diff"), which runs its
// schema engine as WASM over a driver adapter. Only `migrate diff` between two datamodels is used (no
// introspection: that path fails on these machines). lib/db/schema-diff.ts points the adapter at a
// throw-away embedded PostgreSQL (MIGRATE_DIFF_DATABASE_URL), so it can never touch a real database.
import { PrismaPg } from 'prisma-migrate-diff-adapter';

const url = process.env.MIGRATE_DIFF_DATABASE_URL;
if (!url) throw new Error('MIGRATE_DIFF_DATABASE_URL is not set; run through lib/db/schema-diff.ts');

const config = {
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: url, idleTimeoutMillis: 100 });
  },
};

export default config;
