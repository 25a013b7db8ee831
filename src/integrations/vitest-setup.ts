// quickdb-watcher/vitest/setup: vitest's globalSetup, run in vitest's main process: start the servers bound to it,
// hand them to the workers with provide(), stop them at the end. Loads no vitest code (types only).
import type { TestProject } from 'vitest/node';
import { applyRunnerRoot } from './runner-root.js';
import { type IntegrationOptions, type ServersHandoff, startRunnerServers } from './servers.js';
import { countVitestWorkers } from './vitest-workers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The servers quickdb-watcher's globalSetup started, read by the `server` fixture of quickdb-watcher/vitest. */
    quickdbWatcher: ServersHandoff;
  }
}

/** A vitest globalSetup function: starts the servers, returns the teardown that stops them. */
export type VitestGlobalSetup = (project: TestProject) => Promise<() => Promise<void>>;

/** A vitest globalSetup that starts the servers with these options (those of startServer, plus `servers`; relative
 *  migration paths start at vitest's `root`): one shared server by default, or one per worker (`servers:
 *  'per-worker'`, as many workers as vitest runs: its maxWorkers, or the default vitest 3 and 4 compute from the CPU
 *  count when it is not set). They are bound to vitest's main process: if it dies, even by SIGKILL, their watchers
 *  stop them and delete their data. */
export function createGlobalSetup(options: IntegrationOptions = {}): VitestGlobalSetup {
  return async (project) => {
    const rooted = applyRunnerRoot(options, project.config.root);
    const workers = countVitestWorkers(project) as number; // startRunnerServers checks it
    const servers = await startRunnerServers(rooted, workers);
    project.provide('quickdbWatcher', servers.handoff);
    return () => servers.stop();
  };
}

/** `globalSetup: ['quickdb-watcher/vitest/setup']`: one shared PostgreSQL with the default options. */
export default createGlobalSetup();
