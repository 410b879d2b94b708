import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that start server processes or bind ports keep to one file at a time per worker;
    // two cores here, so two forks is the useful ceiling.
    pool: 'forks',
    maxWorkers: 2,
  },
});
