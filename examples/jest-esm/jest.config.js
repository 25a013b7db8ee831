// jest example (ES modules: "type": "module", run as `node --experimental-vm-modules node_modules/jest/bin/jest.js`):
// one PostgreSQL per worker, started by the globalSetup in ./global-setup.js; the ready-made globalTeardown stops them.
export default {
  testMatch: ['<rootDir>/*.test.js'],
  maxWorkers: 2,
  globalSetup: '<rootDir>/global-setup.js',
  globalTeardown: 'quickdb-watcher/jest/global-teardown',
  transform: {}, // native ES modules, no Babel
};
