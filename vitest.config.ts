import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine, while most files
    // wait on PostgreSQL. Four files at once (each test makes its own workspace) took the suite from about
    // 10 to about 6 minutes on this machine, but once starved the runner past Vitest's fixed 60 s RPC timeout
    // ("Timeout calling onTaskUpdate": every test passed, the run failed; vitest-dev/vitest#11082). Three
    // leave the runner a share of the two cores.
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
