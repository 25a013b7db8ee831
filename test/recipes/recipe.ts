// Running a test-runner recipe from examples/ with its real runner, and checking what it leaves behind.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { DatabaseDriverName } from '../../dist/index.js';
import { prepareDbSandbox, requireEngine } from '../drivers/db.js';
import { listStateEntries, ROOT, requireOrSkip, scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { findProcesses, isRunning, killIfRunning } from '../helpers/proc.js';

export type RecipeName =
  | 'node-test'
  | 'vitest'
  | 'jest'
  | 'jest-esm'
  | 'jest-ts'
  | 'node-test-also'
  | 'node-test-options'
  | 'vitest-also'
  | 'vitest-per-worker'
  | 'jest-also';

// How a user runs each recipe (from its own dir), as node arguments (`node`: Node's own flags, before the runner);
// `cache` is a scratch dir for the runner; `dir`: where the files are, when not examples/<name> (a test fixture).
interface Runner {
  dir?: string;
  node?: string[];
  bin?: string;
  args: (cache: string) => string[];
}
const NODE_TEST: Runner = { args: () => ['--test', '--test-concurrency=2'] };
const VITEST: Runner = { bin: 'node_modules/vitest/vitest.mjs', args: () => ['run'] };
const JEST: Runner = { bin: 'node_modules/jest/bin/jest.js', args: (cache) => ['--cacheDirectory', cache] };
const RUNNERS: Record<RecipeName, Runner> = {
  'node-test': NODE_TEST,
  vitest: VITEST,
  jest: JEST,
  'jest-esm': { ...JEST, node: ['--experimental-vm-modules'] },
  'jest-ts': JEST,
  'node-test-also': NODE_TEST,
  'node-test-options': { ...NODE_TEST, dir: 'test/fixtures/node-test-options' },
  'vitest-also': VITEST,
  'vitest-per-worker': { ...VITEST, dir: 'test/fixtures/vitest-per-worker' },
  'jest-also': JEST,
};

export interface ServerEntry {
  /** The group: "main", or the name of an extra server of `also`. */
  group?: string;
  worker: string;
  id: string;
  watcherPid: number;
  serverPid: number;
  dataDir: string;
  stateDir: string;
}
export interface TestEntry {
  worker: string;
  file: string;
  /** The test's name (recorded by the integration examples). */
  test?: string;
  dataDirectory: string;
  /** The database the test's client was connected to. */
  database?: string;
  pid: number;
  /** The version the test's server was handed as (`server.version`), when the example reports it. */
  version?: string;
  /** The version PostgreSQL itself reports (server_version, up to its first space), beside `version`. */
  says?: string;
}
/** A test's use of a Redis server (examples/report.cjs reportRedis). */
export interface RedisEntry {
  group: string;
  id: string;
  worker: string;
  test: string;
  serverPid: number;
  index: number;
  /** The version the test was handed (`server.version`) and the one the server reports (INFO: redis_version). */
  version?: string;
  says?: string;
}
export interface Report {
  servers: ServerEntry[];
  tests: TestEntry[];
  redis: RedisEntry[];
}

export interface RecipeRun {
  child: ChildProcess;
  stateRoot: string;
  output: () => string;
  report: () => Report;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Skip (or fail under QUICKDB_TEST_REQUIRE=all) when the runner, PostgreSQL or another engine it uses is missing.
export function requireRecipe(t: TestContext, name: RecipeName, engines: DatabaseDriverName[] = []): boolean {
  const bin = RUNNERS[name].bin;
  if (!requireOrSkip(t, !bin || existsSync(join(ROOT, bin)), `the ${name} test runner (npm ci)`))
    return false;
  return requireEngine(t, 'postgresql', ...engines);
}

// Start the recipe's runner in examples/<name> with a private state root; hold: the tests wait once connected;
// extra: more runner arguments (e.g. vitest's --pool threads).
export function startRecipe(t: TestContext, name: RecipeName, hold = false, extra: string[] = []): RecipeRun {
  prepareDbSandbox();
  const dir = scratchDir(t, `recipe-${name}-`);
  chmodSync(dir, 0o711); // as root, the postgres user must reach the state root below
  const stateRoot = join(dir, 'state');
  const reportFile = join(dir, 'report.jsonl');
  const holdFile = join(dir, 'hold');
  if (hold) writeFileSync(holdFile, '');
  const tmp = join(dir, 'tmp'); // the runners' own temp files (vitest leaves some when killed)
  mkdirSync(tmp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    QUICKDB_WATCHER_STATE: stateRoot,
    QDW_RECIPE_REPORT: reportFile,
    NO_COLOR: '1',
    TMPDIR: tmp,
    ...(hold ? { QDW_RECIPE_HOLD: holdFile } : {}),
  };
  delete env.NODE_TEST_CONTEXT; // we run inside node --test; the recipe's runner must not think it is a child
  delete env.FORCE_COLOR;
  const { node = [], bin, args, dir: files = join('examples', name) } = RUNNERS[name];
  const argv = [...node, ...(bin ? [join(ROOT, bin)] : []), ...args(join(dir, 'runner-cache')), ...extra];
  const child = spawn(process.execPath, argv, {
    cwd: join(ROOT, files),
    env,
    detached: true, // its own process group, so whatever a failed test leaves can be killed
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const run: RecipeRun = {
    child,
    stateRoot,
    output: () => output,
    report: () => readReport(reportFile),
    exited,
  };
  t.after(() => {
    rmSync(holdFile, { force: true });
    try {
      process.kill(-(child.pid as number), 'SIGKILL'); // the runner and its workers, if still there
    } catch {}
    for (const s of run.report().servers) {
      killIfRunning(s.watcherPid);
      killIfRunning(s.serverPid);
      rmSync(s.stateDir, { recursive: true, force: true });
    }
  });
  return run;
}

// The lines the examples' CI hook (examples/report.cjs) wrote.
function readReport(file: string): Report {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const entries = lines.map((l) => JSON.parse(l) as { kind: string } & ServerEntry & TestEntry & RedisEntry);
  return {
    servers: entries.filter((e) => e.kind === 'server'),
    tests: entries.filter((e) => e.kind === 'test'),
    redis: entries.filter((e) => e.kind === 'redis'),
  };
}

// One server for the whole run (reported by one or more processes), every test on it with a database of its own,
// the tests spread over at least two workers.
export function checkSharedServer(report: Report, tests: number): void {
  const main = report.servers.filter((s) => (s.group ?? 'main') === 'main');
  const ids = new Set(main.map((s) => s.id));
  assert.equal(ids.size, 1, `one server for the run: ${JSON.stringify(main)}`);
  const server = main[0] as ServerEntry;
  assert.equal(report.tests.length, tests, `tests that connected: ${JSON.stringify(report.tests)}`);
  for (const test of report.tests) {
    assert.ok(test.dataDirectory.startsWith(`${server.dataDir}/`), `${test.test} talked to the run's server`);
  }
  const databases = new Set(report.tests.map((t) => t.database));
  assert.equal(databases.size, tests, `each test had its own database: ${[...databases]}`);
  assert.ok(!databases.has('postgres'), 'no test used the default database');
  const workers = new Set(report.tests.map((t) => t.worker));
  assert.ok(workers.size >= 2, `the tests ran on at least two workers: ${[...workers]}`);
}

// Wait until no watcher, server process, data dir, state dir or state entry of the run is left.
export async function waitNothingLeft(run: RecipeRun): Promise<void> {
  const { servers } = run.report();
  assert.ok(servers.length > 0, 'the run reported its servers');
  await waitFor('the watchers and servers to stop', () =>
    servers.every((s) => !isRunning(s.watcherPid) && !isRunning(s.serverPid)),
  );
  await waitFor(
    'no process of the run to use the state root',
    () => findProcesses(run.stateRoot).length === 0,
  );
  await waitFor('the data and state dirs to be deleted', () =>
    servers.every((s) => !existsSync(s.dataDir) && !existsSync(s.stateDir)),
  );
  await waitFor('the state root to be empty', () => listStateEntries(run.stateRoot).length === 0);
}

// Wait until every held test file has connected, and the state root holds `count` ready instances.
export async function waitServersReady(run: RecipeRun, files: number, count: number): Promise<void> {
  await waitFor(`${files} test files to connect`, () => run.report().tests.length >= files, 60_000);
  const ready = () =>
    readdirSync(run.stateRoot).filter((id) => {
      try {
        return JSON.parse(readFileSync(join(run.stateRoot, id, 'status.json'), 'utf8')).phase === 'ready';
      } catch {
        return false;
      }
    });
  await waitFor(`${count} instances in phase ready`, () => ready().length === count);
}
