// vitest example, several servers: two workers; globalSetup starts PostgreSQL and two Redis groups beside it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.js'],
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./global-setup.js'],
  },
});
