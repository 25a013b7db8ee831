// vitest example: start one PostgreSQL for the run in vitest's main process, migrated from ./migrations; every test
// gets its own database cloned from the migrated template (the `db` fixture of quickdb-watcher/vitest).
// Without options, `globalSetup: ['quickdb-watcher/vitest/setup']` in vitest.config.js is all it takes.
import { createGlobalSetup } from 'quickdb-watcher/vitest/setup';
import { reportServers } from '../report.cjs'; // this repo's CI only: drop it in your copy

const setup = createGlobalSetup({ migrate: 'migrations' });

// The server is bound to vitest's main process: if vitest is killed (even SIGKILL), its watcher stops it and
// deletes its data.
export default async function globalSetup(project) {
  const teardown = await setup(project);
  reportServers(); // this repo's CI only
  return teardown;
}
