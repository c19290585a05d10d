import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Connections to the embedded database share one session, so test files take turns there;
// against a real server they run in parallel.
const embedded = !process.env.DATABASE_URL || process.env.DATABASE_EMBEDDED === '1';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    setupFiles: ['./vitest.setup.ts'],
    fileParallelism: !embedded,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
