// vitest recipe: forks pool with a fixed worker count; globalSetup starts one PostgreSQL per worker.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.js'],
    pool: 'forks',
    maxWorkers: 2, // global-setup.js starts this many servers; worker N uses server N
    globalSetup: ['./global-setup.js'],
  },
});
