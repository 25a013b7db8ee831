// The jest examples under the real jest: examples/jest (CommonJS, jest's default transform; quickdb-watcher/jest's
// ready-made globalSetup starts one migrated server, every test gets its own database, nothing is left, even after a
// SIGKILL of jest's main process), examples/jest-esm (ES modules, a server per worker) and examples/jest-ts (ts-jest).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/env.js';
import {
  checkSharedServer,
  type Report,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

const run = promisify(execFile);

// A server per worker, every test on its own worker's server with a database of its own, on at least two workers.
function checkServerPerWorker(report: Report, servers: number, tests: number): void {
  assert.equal(new Set(report.servers.map((s) => s.dataDir)).size, servers, JSON.stringify(report.servers));
  assert.equal(report.tests.length, tests, `tests that connected: ${JSON.stringify(report.tests)}`);
  for (const test of report.tests) {
    const own = report.servers.find((s) => s.worker === test.worker);
    assert.ok(own && test.dataDirectory.startsWith(`${own.dataDir}/`), `${test.test} on its worker's server`);
  }
  assert.equal(new Set(report.tests.map((s) => s.database)).size, tests, 'a database per test');
  assert.ok(!report.tests.some((s) => s.database === 'postgres'), 'no test used the default database');
  assert.ok(new Set(report.tests.map((s) => s.worker)).size >= 2, 'the tests ran on at least two workers');
}

test('jest: 5 tests in 3 files pass on 2 workers, each with its own database; nothing is left', async (t) => {
  if (!requireRecipe(t, 'jest')) return;
  const run = startRecipe(t, 'jest');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /Test Suites: 3 passed, 3 total/, out);
  assert.match(out, /Tests: {7}5 passed, 5 total/, out);
  checkSharedServer(run.report(), 5);
  await waitNothingLeft(run);
});

test('jest: SIGKILL of jest mid-run leaves no server, data dir or state behind', async (t) => {
  if (!requireRecipe(t, 'jest')) return;
  const run = startRecipe(t, 'jest', true);
  await waitServersReady(run, 2, 1); // two workers hold a test each, on the one server
  process.kill(run.child.pid as number, 'SIGKILL'); // jest's main process only: it owns the server
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitNothingLeft(run);
});

test('jest (ESM, --experimental-vm-modules): a server per worker, each test its own database; nothing is left', async (t) => {
  if (!requireRecipe(t, 'jest-esm')) return;
  const run = startRecipe(t, 'jest-esm');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /Test Suites: 2 passed, 2 total/, out);
  assert.match(out, /Tests: {7}2 passed, 2 total/, out);
  checkServerPerWorker(run.report(), 2, 2);
  await waitNothingLeft(run);
});

test('jest (ts-jest): the example type-checks, its tests pass, each on its own database; nothing is left', async (t) => {
  if (!requireRecipe(t, 'jest-ts')) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', join(ROOT, 'examples', 'jest-ts')], { timeout: 120_000 });
  const started = startRecipe(t, 'jest-ts');
  const { code } = await started.exited;
  const out = started.output();
  assert.equal(code, 0, out);
  assert.match(out, /Test Suites: 2 passed, 2 total/, out);
  assert.match(out, /Tests: {7}2 passed, 2 total/, out);
  checkSharedServer(started.report(), 2);
  await waitNothingLeft(started);
});
