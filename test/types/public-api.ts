// The package's public types as a user's strict TypeScript meets them: every export used once, and what must not
// compile marked with @ts-expect-error. Type-checked only (tsc -p tsconfig.test.json), never run. It imports the
// package by its own name ('quickdb-watcher' resolves to dist/index.d.ts through package.json `exports`), so the
// same file type-checks unchanged in a project that installed the packed tarball.
import {
  type BackendChoice,
  type ControlAction,
  type ControlResult,
  controlInstance,
  type DatabaseDriverName,
  type DatabaseEntry,
  type DataOn,
  type DriverName,
  Instance,
  type InstanceInfo,
  type InstanceUrl,
  type MigrateFunction,
  type MigrateOption,
  QuickdbError,
  type ServerInfo,
  type StartOptions,
  startServer,
  type TestDatabase,
  UsageError,
} from 'quickdb-watcher';

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
function expectType<T extends true>(_proof?: T): void {}

// The drivers are a literal union; 'postgres' is a typo that must not compile.
expectType<Equal<DriverName, 'postgresql' | 'mariadb' | 'mysql' | 'redis' | 'command'>>();
expectType<Equal<DatabaseDriverName, 'postgresql' | 'mariadb' | 'mysql' | 'redis'>>();
// @ts-expect-error 'postgres' is not a driver (it is 'postgresql')
void startServer({ driver: 'postgres' });
// @ts-expect-error a driver held in a plain string is not known to be one
void startServer({ driver: String('redis') });

// Every option, typed; a test-only option and an unknown key do not compile.
const migrate: MigrateFunction = async (url: string, env: Record<string, string>) => [url, env];
const migrations: MigrateOption[] = [
  'db/migrations',
  { sql: 'db/migrations' },
  { command: ['true'] },
  migrate,
];
const dataOn: DataOn = 'ram';
const backend: BackendChoice = 'detached';
const options: StartOptions<'postgresql'> = {
  driver: 'postgresql',
  args: ['-c', 'fsync=off'],
  id: 'pg-1',
  dataDir: '/tmp/d',
  dataOn,
  cleanup: true,
  parent: 'none',
  lifeline: false,
  backend,
  stopGraceMs: 10_000,
  fastGraceMs: 2_000,
  pollMs: 50,
  stopSignal: 'SIGTERM',
  fastStopSignal: 'SIGKILL',
  readyFile: 'ready',
  readyPort: 8080,
  readyLog: '^ready',
  readyTimeoutMs: 30_000,
  env: { A: '1' },
  stateRoot: '/tmp/qdw',
  port: 0,
  pgBin: '/usr/lib/postgresql/15/bin',
  mysqlBin: '/usr/sbin',
  redisBin: '/usr/bin',
  snapshot: true,
  migrate: migrations[0],
  migrateHash: ['package.json'],
  migrateKey: 'v1',
  pool: 2,
  spares: 8,
};
// @ts-expect-error parentStartTime is a test-only option, not part of StartOptions
void startServer({ parentStartTime: '1' });
// @ts-expect-error an unknown key (a typo of driver)
void startServer({ drvier: 'redis' });
// @ts-expect-error options of one driver are not options of another
const _mismatch: StartOptions<'redis'> = options;

// Results are typed per driver: a database always has a URL, a command server may not.
const pg = await startServer();
expectType<Equal<typeof pg, Instance<'postgresql'>>>();
expectType<Equal<typeof pg.url, string>>();
expectType<Equal<(typeof pg)['driver'], 'postgresql'>>();
const withOptions = await startServer(options);
expectType<Equal<typeof withOptions.url, string>>();
for (const driver of ['mariadb', 'mysql', 'redis'] as const) {
  const db = await startServer({ driver });
  const url: string = db.url;
  void url;
}
const redis = await startServer({ driver: 'redis', port: 0 });
expectType<Equal<typeof redis.url, string>>();
const command = await startServer({ driver: 'command', args: ['sleep', '1000'], readyTimeoutMs: 1000 });
expectType<Equal<typeof command.url, string | undefined>>();
// The exact server version ("15.14"), and what runs (engine, binary, source) when it is a database.
expectType<Equal<typeof pg.version, string | undefined>>();
const server: ServerInfo | undefined = pg.info.server;
const engineAndVersion: [string, string] | undefined = server && [server.engine, server.version];
void engineAndVersion;
// @ts-expect-error: the version is read-only
pg.version = '16.0';
expectType<Equal<InstanceUrl<'command'>, string | undefined>>();
// A driver known only at run time: the URL may be missing.
const readDriver = (): DriverName => (process.env.DRIVER === 'redis' ? 'redis' : 'command');
const anyDriver = readDriver();
const some = await startServer({ driver: anyDriver });
expectType<Equal<typeof some, Instance<DriverName>>>();
expectType<Equal<typeof some.url, string | undefined>>();

// Per-test databases exist on database drivers only.
const testDb: TestDatabase = await pg.createDatabase({ name: 'case_1' });
const fields: [string, string, Record<string, string>, 'pool' | 'clone', string] = [
  testDb.name,
  testDb.url,
  testDb.env,
  testDb.from,
  testDb.keep(),
];
void fields;
const json: { name: string; url: string; env: Record<string, string>; from: string } = testDb.toJSON();
void json;
await testDb.drop();
await testDb[Symbol.asyncDispose]();
const listed: DatabaseEntry[] = await redis.listDatabases();
const entry: { name: string; pooled: boolean } | undefined = listed[0];
void entry;
// An instance whose driver is known only at run time may ask (a command server refuses at run time).
const fromAny: TestDatabase = await some.createDatabase();
void fromAny;
// @ts-expect-error a command server has no per-test databases
await command.createDatabase();
// @ts-expect-error a command server has no per-test databases
await command.listDatabases();

// The instance: ids, pids, dirs, env, JSON, stop/eliminate/quiet, the pool, `await using`.
const info: InstanceInfo<'postgresql'> = pg.info;
const plain: InstanceInfo = pg.toJSON();
const shown: [
  string,
  string,
  number,
  number | null,
  string,
  Record<string, string>,
  string,
  string | undefined,
] = [pg.id, pg.dataDir, pg.watcherPid, pg.serverPid, pg.backendReason, pg.env, info.stateDir, plain.url];
void shown;
pg.fillPool();
await pg.settlePool();
await pg.quiet();
const stopped: ControlResult = await pg.stop({ keep: false });
const action: ControlAction = stopped.action;
const outcome: [string, boolean, boolean, string | undefined] = [
  stopped.id,
  stopped.signalled,
  stopped.ok,
  stopped.removed,
];
void [action, outcome];
await command.eliminate();
const byId: ControlResult = await controlInstance('/tmp/qdw', 'redis-1', 'kill');
void byId;
{
  await using scoped = await startServer({ driver: 'redis' });
  const url: string = scoped.url;
  void url;
}
const isInstance: boolean = some instanceof Instance;
void isInstance;

// Errors: bad input names the option by its library name; a failure keeps its details.
try {
  await startServer({ stopGraceMs: -1 });
} catch (error) {
  if (error instanceof UsageError) {
    const parts: [string, unknown, string, 2] = [error.option, error.value, error.allowed, error.exitCode];
    void parts;
  }
  if (error instanceof QuickdbError) {
    const parts: [string | undefined, 1] = [error.details, error.exitCode];
    void parts;
  }
}
