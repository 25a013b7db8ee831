// quickdb-watcher/jest/global-teardown: a ready-made jest globalTeardown, stopping what the globalSetup started.
import { createGlobalTeardown } from './jest-setup.js';

/** `globalTeardown: 'quickdb-watcher/jest/global-teardown'`: stops the servers quickdb-watcher's globalSetup started. */
export default createGlobalTeardown();
