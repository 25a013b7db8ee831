// The integrations' public types as a strict TypeScript user meets them: every export of quickdb-watcher/vitest,
// /vitest/setup, /jest, /jest/global-setup, /jest/global-teardown and /node-test used once. Type-checked only, never
// run (the hooks they register need their runner); copied into the packed-tarball test's TypeScript project too.

import type { Instance } from 'quickdb-watcher';
import {
  createGlobalTeardown,
  createGlobalSetup as createJestGlobalSetup,
  GLOBALS_KEY,
  type JestDatabase,
  type JestGlobalConfig,
  type JestGlobalSetup,
  type JestGlobalTeardown,
  type JestProjectConfig,
  type RunnerServers,
  useDatabase as useJestDatabase,
  useServer as useJestServer,
} from 'quickdb-watcher/jest';
import jestGlobalSetup from 'quickdb-watcher/jest/global-setup';
import jestGlobalTeardown from 'quickdb-watcher/jest/global-teardown';
import {
  type ServerHandle,
  type TestDatabaseHandle,
  useDatabase as useNodeTestDatabase,
  useServer as useNodeTestServer,
} from 'quickdb-watcher/node-test';
import {
  createGlobalSetup,
  type IntegrationOptions,
  it,
  type QuickdbFixtures,
  type QuickdbWorkerFixtures,
  type ServersHandoff,
  type TestDatabase,
  test,
  type VitestGlobalSetup,
  type WorkerServer,
} from 'quickdb-watcher/vitest';
import vitestSetup from 'quickdb-watcher/vitest/setup';

/** Compiles only when given `true`. */
function expectType<T extends true>(_proof?: T): void {}
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Options: those of startServer plus `servers`; a typo or a wrong driver does not compile.
const options: IntegrationOptions = {
  driver: 'postgresql',
  migrate: 'migrations',
  pool: 2,
  servers: 'shared',
};
// @ts-expect-error: 'postgres' is not a driver
const wrongDriver: IntegrationOptions = { driver: 'postgres' };
// @ts-expect-error: `servers` is 'shared' or 'per-worker'
const wrongServers: IntegrationOptions = { servers: 'one' };
// Extra servers by name, each with its own options and `servers`; no `also` inside one.
const several: IntegrationOptions = {
  migrate: 'migrations',
  also: { cache: { driver: 'redis' }, queue: { driver: 'redis', servers: 'per-worker' } },
};
// @ts-expect-error: an extra server takes no `also` of its own
const nested: IntegrationOptions = { also: { cache: { driver: 'redis', also: {} } } };
// @ts-expect-error: an extra server's driver is checked too
const wrongExtra: IntegrationOptions = { also: { cache: { driver: 'redsi' } } };

// vitest: the setup (ready-made and from a factory) and the fixtures.
const setup: VitestGlobalSetup = createGlobalSetup(options);
const readyMade: VitestGlobalSetup = vitestSetup;
test('a test gets its own database', async ({ db, server }) => {
  const url: string = db.url;
  const cache: WorkerServer | undefined = server.also.cache;
  const extraUrl: string | undefined = server.also.queue?.url;
  const version: string | undefined = server.version;
  const engine: string | undefined = server.also.cache?.server?.engine;
  void [cache, extraUrl, version, engine];
  const names: string[] = (await server.listDatabases()).map((d) => d.name);
  const same: TestDatabase = await server.createDatabase();
  await same.drop();
  void [url, names];
});
it('it is test', () => {});
expectType<Equal<QuickdbFixtures['db'], TestDatabase>>(true);
expectType<Equal<QuickdbWorkerFixtures['server'], WorkerServer>>(true);

// jest: setup and teardown (ready-made and from factories), the handoff, and the test-file helpers.
const jestSetup: JestGlobalSetup = createJestGlobalSetup(options);
const jestTeardown: JestGlobalTeardown = createGlobalTeardown();
const readySetup: JestGlobalSetup = jestGlobalSetup;
const readyTeardown: JestGlobalTeardown = jestGlobalTeardown;
const config: { globals: Record<string, IntegrationOptions> } = { globals: { [GLOBALS_KEY]: options } };
async function startFromJest(global: JestGlobalConfig, project: JestProjectConfig): Promise<ServersHandoff> {
  const servers = (await jestSetup(global, project)) as RunnerServers;
  const extras: Instance[] | undefined = servers.also.cache;
  void extras;
  return servers.handoff;
}
const jestDb: JestDatabase = useJestDatabase();
const jestServer: WorkerServer = useJestServer();
const jestUrl: string = jestDb.url;
// @ts-expect-error: the handle is read-only
jestDb.url = 'postgresql://elsewhere';

// node:test: the server and a database per test.
const nodeServer: ServerHandle = useNodeTestServer(options);
const nodeDb: TestDatabaseHandle = useNodeTestDatabase({ migrate: 'migrations' });
const nodeEnv: Record<string, string> = nodeDb.env;
const nodeVersion: string | undefined = nodeServer.version;
const jestVersion: string | undefined = jestServer.version;
const nodeDatabase: TestDatabase = nodeDb.database;

void [
  wrongDriver,
  wrongServers,
  several,
  nested,
  wrongExtra,
  setup,
  readyMade,
  readySetup,
  readyTeardown,
  jestTeardown,
  config,
  startFromJest,
];
void [jestServer, jestUrl, nodeServer, nodeEnv, nodeDatabase, nodeVersion, jestVersion];
