// quickdb-watcher/jest, jest's main process: the globalSetup that starts the servers (bound to jest's main process)
// and hands them to the workers through the environment, and the globalTeardown that stops them.

import { settleAll } from '../api/start.js';
import { UsageError } from '../errors.js';
import { applyRunnerRoot } from './runner-root.js';
import { type IntegrationOptions, type RunnerServers, startRunnerServers } from './servers.js';

/** What jest passes a globalSetup or globalTeardown first (the parts read here). */
export interface JestGlobalConfig {
  /** How many workers jest runs (`maxWorkers`); a per-worker run starts this many servers. */
  maxWorkers: number;
}
/** What jest passes a globalSetup or globalTeardown second (the parts read here). */
export interface JestProjectConfig {
  /** The project's `globals`; the ready-made globalSetup reads its options from `globals.quickdbWatcher`. */
  globals?: Record<string, unknown>;
  /** The project's root dir: relative migration paths start there. */
  rootDir?: string;
}

/** A jest globalSetup: starts the servers and resolves with them (jest ignores the value; a wrapper may use it). */
export type JestGlobalSetup = (
  globalConfig: JestGlobalConfig,
  projectConfig?: JestProjectConfig,
) => Promise<RunnerServers>;
/** A jest globalTeardown: stops what the globalSetup started. */
export type JestGlobalTeardown = (
  globalConfig?: JestGlobalConfig,
  projectConfig?: JestProjectConfig,
) => Promise<void>;

// The servers started in this process, kept on globalThis (jest loads setup and teardown as separate modules,
// possibly one as ESM and one as CommonJS, each its own copy of this file).
const STORE = Symbol.for('quickdb-watcher.jest.servers');
type Store = { [STORE]?: RunnerServers[] };

/** The name of the `globals` entry the ready-made globalSetup reads its options from. */
export const GLOBALS_KEY = 'quickdbWatcher';

/** A jest globalSetup that starts the servers with these options (those of startServer, plus `servers`): one shared
 *  server by default, or one per worker (`servers: 'per-worker'`, as many as jest's maxWorkers; worker N, from
 *  JEST_WORKER_ID, uses server N). They are bound to jest's main process: if it dies, even by SIGKILL, their watchers
 *  stop them and delete their data. Relative migration paths start at the project's rootDir. Use it in your own setup file: `module.exports = createGlobalSetup({ … })`. */
export function createGlobalSetup(options: IntegrationOptions = {}): JestGlobalSetup {
  return async (globalConfig, projectConfig) => {
    const rooted = applyRunnerRoot(options, projectConfig?.rootDir);
    const servers = await startRunnerServers(rooted, globalConfig.maxWorkers);
    const store = globalThis as Store;
    store[STORE] = [...(store[STORE] ?? []), servers];
    return servers;
  };
}

/** A jest globalTeardown that stops every server a globalSetup of quickdb-watcher started in this process. */
export function createGlobalTeardown(): JestGlobalTeardown {
  return async () => {
    const store = globalThis as Store;
    const all = store[STORE] ?? [];
    delete store[STORE];
    await settleAll(all.map((servers) => servers.stop()));
  };
}

/** The options in a project's `globals.quickdbWatcher` (none: the defaults), checked to be an object. */
export function readGlobalsOptions(projectConfig: JestProjectConfig | undefined): IntegrationOptions {
  const value = projectConfig?.globals?.[GLOBALS_KEY];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      `globals.${GLOBALS_KEY}`,
      value,
      "expected an object of startServer options (driver, migrate, pool…) and `servers`, in jest's config",
    );
  return value as IntegrationOptions;
}
