// vitest example: two workers (forks by default; `--pool threads` works the same); globalSetup starts the server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.js'],
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./global-setup.js'],
  },
});
