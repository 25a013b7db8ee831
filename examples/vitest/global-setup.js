// vitest recipe: start one PostgreSQL per worker before any test, hand out their URLs, stop them all at the end.
import { startServer } from 'quickdb-watcher';
import { reportServer } from '../report.cjs'; // this repo's CI only: drop it in your copy

// vitest runs this in its main process, so every server's life is bound to vitest itself:
// if vitest is killed (even SIGKILL), the watchers stop the servers and delete their data.
export default async function setup(project) {
  const workers = project.config.maxWorkers; // VITEST_POOL_ID runs from 1 to maxWorkers
  const servers = await Promise.all(Array.from({ length: workers }, () => startServer()));
  for (const [i, server] of servers.entries()) reportServer(server, i + 1);
  project.provide(
    'databaseUrls',
    servers.map((s) => s.url),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
