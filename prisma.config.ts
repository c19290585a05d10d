import { defineConfig } from 'prisma/config';

// Prisma 7 CLI configuration. Only `prisma generate` is used on these machines (the migrate engine
// cannot be downloaded here); migrations are applied by lib/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
