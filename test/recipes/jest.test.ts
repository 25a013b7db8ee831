// The jest example (examples/jest: CommonJS, jest's default transform) under the real jest: quickdb-watcher/jest's
// ready-made globalSetup starts one migrated server, every test gets its own database, and nothing is left, even
// after a SIGKILL of jest's main process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkSharedServer,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

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
