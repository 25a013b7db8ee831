// jest example (CommonJS, jest's default transform): quickdb-watcher's ready-made globalSetup starts one PostgreSQL
// for the run in jest's main process, migrated from ./migrations; its globalTeardown stops it.
module.exports = {
  testMatch: ['<rootDir>/*.test.cjs'],
  maxWorkers: 2,
  globalSetup: 'quickdb-watcher/jest/global-setup',
  globalTeardown: 'quickdb-watcher/jest/global-teardown',
  // The options of startServer (driver, migrate, pool…) and `servers: 'shared' | 'per-worker'`; a relative migrate
  // path is resolved from the directory jest runs in.
  globals: { quickdbWatcher: { migrate: 'migrations' } },
};
