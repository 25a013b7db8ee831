// vitest example, several servers: one PostgreSQL for the run (migrated; a database per test), and beside it, by name
// (`also`), one Redis for the run (`cache`: a database index per test) and a Redis per worker (`queue`: a test may
// flush it). All are bound to vitest's main process: if vitest is killed (even SIGKILL), their watchers stop them.
import { createGlobalSetup } from 'quickdb-watcher/vitest/setup';
import { reportServers } from '../report.cjs'; // this repo's CI only: drop it in your copy

const setup = createGlobalSetup({
  migrate: 'migrations',
  also: {
    cache: { driver: 'redis' },
    queue: { driver: 'redis', servers: 'per-worker' },
  },
});

export default async function globalSetup(project) {
  const teardown = await setup(project);
  reportServers(); // this repo's CI only
  return teardown;
}
