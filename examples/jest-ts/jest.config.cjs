// jest example (TypeScript through ts-jest, compiled to CommonJS; ts-jest transpiles, `tsc -p .` type-checks): the
// ready-made globalSetup and globalTeardown of quickdb-watcher/jest start and stop one PostgreSQL, migrated from ./migrations.
module.exports = {
  testMatch: ['<rootDir>/*.test.cts'],
  moduleFileExtensions: ['cts', 'ts', 'js', 'cjs', 'json'],
  transform: { '^.+\\.cts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^(\\./.*)\\.cjs$': '$1' }, // TypeScript's './client.cjs' is the source ./client.cts
  maxWorkers: 2,
  globalSetup: 'quickdb-watcher/jest/global-setup',
  globalTeardown: 'quickdb-watcher/jest/global-teardown',
  globals: { quickdbWatcher: { migrate: 'migrations' } },
};
