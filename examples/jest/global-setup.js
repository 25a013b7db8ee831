// jest recipe: start one PostgreSQL per worker in jest's main process; workers find theirs by JEST_WORKER_ID.
import { startServer } from 'quickdb-watcher';
import { reportServer } from '../report.cjs'; // this repo's CI only: drop it in your copy

// Every server's life is bound to jest's main process: if jest is killed (even SIGKILL),
// the watchers stop the servers and delete their data.
export default async function globalSetup(globalConfig) {
  const servers = await Promise.all(Array.from({ length: globalConfig.maxWorkers }, () => startServer()));
  servers.forEach((server, i) => {
    reportServer(server, i + 1);
    process.env[`DATABASE_URL_${i + 1}`] = server.url; // workers inherit the environment
  });
  globalThis.quickdbServers = servers; // read back by global-teardown.js (same process)
}
