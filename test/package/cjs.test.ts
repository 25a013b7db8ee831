// The CommonJS build as a CommonJS project meets it, through a symlinked node_modules: require('quickdb-watcher') in
// plain Node and inside a jest test file (jest's default transform, babel-jest; no require(esm) in jest's runtime)
// starts a real PostgreSQL whose watcher is the ESM dist/runner.js, and stops it; a strict TypeScript CommonJS project
// (module nodenext) type-checks require and import of the package and of quickdb-watcher/jest.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import { prepareDbSandbox, requirePostgres } from '../drivers/db.js';
import { ROOT, requireOrSkip, scratchDir, stateRoot } from '../helpers/env.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';

const run = promisify(execFile);

// Start a server through require(), make a database, stop; what it saw, as JSON on stdout or in $QDW_PROBE_OUT.
const PROBE = `
const { readFileSync, existsSync, writeFileSync } = require('node:fs');
const { startServer, UsageError } = require('quickdb-watcher');
module.exports = async function probe() {
  const server = await startServer();
  const seen = { resolved: require.resolve('quickdb-watcher'), info: server.info, url: server.url };
  try {
    seen.title = readFileSync('/proc/' + server.info.watcherPid + '/cmdline', 'utf8').split('\\0')[0];
    const db = await server.createDatabase();
    seen.listed = (await server.listDatabases()).some((d) => d.name === db.name);
    await db.drop();
  } finally {
    await server.stop();
  }
  seen.stateDirLeft = existsSync(server.info.stateDir);
  seen.usage = await startServer({ driver: 'postgress' }).catch((e) => e instanceof UsageError);
  const text = JSON.stringify(seen);
  if (process.env.QDW_PROBE_OUT) writeFileSync(process.env.QDW_PROBE_OUT, text);
  return seen;
};
`;

interface Seen {
  resolved: string;
  info: { watcherPid: number; serverPid: number; stateDir: string; dataDir: string };
  url: string;
  title: string;
  listed: boolean;
  stateDirLeft: boolean;
  usage: boolean;
}

// A fresh CommonJS project whose node_modules/quickdb-watcher is a symlink to this repository.
function makeProject(t: TestContext): string {
  prepareDbSandbox();
  const dir = scratchDir(t, 'cjs-project-');
  chmodSync(dir, 0o711);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'quickdb-watcher'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-project', version: '1.0.0' }));
  writeFileSync(join(dir, 'probe.js'), PROBE);
  return dir;
}

// What a probe reported, checked: the CommonJS build ran, the server was real and is gone with its state.
function checkSeen(t: TestContext, seen: Seen): void {
  t.after(() => {
    killIfRunning(seen.info.watcherPid);
    killIfRunning(seen.info.serverPid);
  });
  assert.equal(seen.resolved, join(ROOT, 'dist', 'cjs', 'index.cjs'), 'require() took the CommonJS build');
  assert.match(seen.url, /^postgresql:\/\//);
  assert.match(seen.title, /^db-quick-watcher\b/, 'the watcher (dist/runner.js) runs');
  assert.equal(seen.listed, true, 'a database was made in the server');
  assert.equal(seen.stateDirLeft, false, 'stop removed the state dir');
  assert.equal(isRunning(seen.info.watcherPid) || isRunning(seen.info.serverPid), false);
  assert.equal(existsSync(seen.info.dataDir), false, 'stop removed the data dir');
  assert.equal(seen.usage, true, "a bad option is the CommonJS build's own UsageError");
}

test('plain node: require("quickdb-watcher") in a CommonJS project starts PostgreSQL and stops it', async (t) => {
  if (!requirePostgres(t)) return;
  const dir = makeProject(t);
  const env = { ...process.env, QUICKDB_WATCHER_STATE: stateRoot() };
  const { stdout } = await run(
    process.execPath,
    ['-e', 'require("./probe.js")().then((s) => console.log(JSON.stringify(s)))'],
    { cwd: dir, env, timeout: 120_000 },
  );
  checkSeen(t, JSON.parse(stdout) as Seen);
});

test('jest (default transform): require("quickdb-watcher") in a test file starts PostgreSQL and stops it', async (t) => {
  if (!requirePostgres(t)) return;
  if (!requireOrSkip(t, existsSync(join(ROOT, 'node_modules', 'jest')), 'jest (npm ci)')) return;
  const dir = makeProject(t);
  writeFileSync(
    join(dir, 'probe.test.js'),
    "const probe = require('./probe.js');\ntest('probe', async () => { await probe(); }, 60000);\n",
  );
  const out = join(dir, 'seen.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    QUICKDB_WATCHER_STATE: stateRoot(),
    QDW_PROBE_OUT: out,
    NO_COLOR: '1',
  };
  delete env.NODE_TEST_CONTEXT;
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = await run(process.execPath, [jest, '--ci', '--cacheDirectory', join(dir, 'cache')], {
    cwd: dir,
    env,
    timeout: 120_000,
  }).catch((e: { stdout: string; stderr: string }) => e);
  assert.ok(existsSync(out), `the jest test ran the probe:\n${result.stdout}${result.stderr}`);
  checkSeen(t, JSON.parse(readFileSync(out, 'utf8')) as Seen);
  assert.match(result.stderr, /Tests: {7}1 passed, 1 total/, result.stderr);
});

// nodenext: today's TypeScript (its declarations checked too); node16: how TypeScript before 5.8 reads nodenext, where
// a CommonJS file may not import an ES module's types at all (TS1479), hence the .d.cts declarations.
for (const [module, skipLibCheck] of [
  ['nodenext', false],
  ['node16', true],
] as const) {
  test(`strict TypeScript, CommonJS (module ${module}): require and import of the package type-check`, async (t) => {
    const dir = makeProject(t);
    const compilerOptions = {
      module,
      moduleResolution: module,
      target: 'es2022',
      strict: true,
      noEmit: true,
      skipLibCheck,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
    writeFileSync(join(dir, 'check.ts'), CHECK_TS);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: 120_000 }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    assert.equal((result as { code?: number }).code ?? 0, 0, `${result.stdout}${result.stderr}`);
  });
}

// A CommonJS TypeScript file using the library and the jest integration, by import and by import = require().
const CHECK_TS = `
import { startServer, UsageError, QuickdbError, type Instance, type StartOptions } from 'quickdb-watcher';
import { createGlobalSetup, createGlobalTeardown, useDatabase, useServer, type JestDatabase } from 'quickdb-watcher/jest';
import quickdb = require('quickdb-watcher');
import globalSetup = require('quickdb-watcher/jest/global-setup');
import globalTeardown = require('quickdb-watcher/jest/global-teardown');

const options: StartOptions = { driver: 'postgresql', migrate: 'migrations' };
export async function start(): Promise<Instance> {
  const a: Instance = await startServer(options);
  const b: Instance = await quickdb.startServer();
  await b.stop();
  return a;
}
export const setup = createGlobalSetup({ servers: 'per-worker', migrate: 'migrations' });
export const teardown = createGlobalTeardown();
export const ready = [globalSetup.default, globalTeardown.default];
export function inTests(): string {
  const db: JestDatabase = useDatabase();
  const server = useServer();
  return db.url + db.name + Object.keys(db.env).join() + server.id;
}
export function classify(e: unknown): number {
  return e instanceof UsageError ? e.exitCode : e instanceof QuickdbError ? e.exitCode : 0;
}
`;
