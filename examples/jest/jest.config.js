// jest recipe: a fixed worker count; globalSetup starts one PostgreSQL per worker, globalTeardown stops them.
export default {
  testMatch: ['<rootDir>/*.test.cjs'],
  maxWorkers: 2, // global-setup.js starts this many servers; worker N uses server N
  globalSetup: '<rootDir>/global-setup.js',
  globalTeardown: '<rootDir>/global-teardown.js',
  transform: {}, // plain CommonJS tests, no Babel
};
