// jest example, several servers (CommonJS): quickdb-watcher's ready-made globalSetup starts one PostgreSQL for the
// run, migrated from ./migrations, and beside it, by name (`also`), one Redis for the run (`cache`: a database index
// per test) and a Redis per worker (`queue`: a test may flush it); its globalTeardown stops them all.
module.exports = {
  testMatch: ['<rootDir>/*.test.cjs'],
  maxWorkers: 2,
  globalSetup: 'quickdb-watcher/jest/global-setup',
  globalTeardown: 'quickdb-watcher/jest/global-teardown',
  globals: {
    quickdbWatcher: {
      migrate: 'migrations',
      also: { cache: { driver: 'redis' }, queue: { driver: 'redis', servers: 'per-worker' } },
    },
  },
};
