// jest example (ESM): a server per worker (worker N, from JEST_WORKER_ID, uses server N), migrated from ./migrations,
// bound to jest's main process: if jest is killed (even SIGKILL), the watchers stop them and delete their data.
import { createGlobalSetup } from 'quickdb-watcher/jest';
import { reportServers } from '../report.cjs'; // this repo's CI only: drop it in your copy

const setup = createGlobalSetup({ servers: 'per-worker', migrate: 'migrations' });

export default async function globalSetup(globalConfig, projectConfig) {
  const servers = await setup(globalConfig, projectConfig);
  for (const [i, id] of servers.handoff.ids.entries()) reportServers([id], i + 1); // this repo's CI only
}
