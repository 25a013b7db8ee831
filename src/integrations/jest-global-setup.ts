// quickdb-watcher/jest/global-setup: a ready-made jest globalSetup, options from the config's globals.quickdbWatcher.
import { createGlobalSetup, type JestGlobalSetup, readGlobalsOptions } from './jest-setup.js';

/** `globalSetup: 'quickdb-watcher/jest/global-setup'`: starts the servers with the options in jest's
 *  `globals: { quickdbWatcher: { … } }` (none: one shared PostgreSQL). */
const globalSetup: JestGlobalSetup = async (globalConfig, projectConfig) =>
  createGlobalSetup(readGlobalsOptions(projectConfig))(globalConfig, projectConfig);

export default globalSetup;
