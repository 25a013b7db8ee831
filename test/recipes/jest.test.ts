// The jest recipe (examples/jest) under the real jest: passes, one server per worker, cleans up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkOneServerPerWorker,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

test('jest: 3 files pass on 2 workers, each worker with its own server; nothing is left', async (t) => {
  if (!requireRecipe(t, 'jest')) return;
  const run = startRecipe(t, 'jest');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /Test Suites: 3 passed, 3 total/, out);
  assert.match(out, /Tests: {7}3 passed, 3 total/, out);
  checkOneServerPerWorker(run.report(), 2, 3);
  await waitNothingLeft(run);
});

test('jest: SIGKILL of jest mid-run leaves no server, data dir or state behind', async (t) => {
  if (!requireRecipe(t, 'jest')) return;
  const run = startRecipe(t, 'jest', true);
  await waitServersReady(run, 2, 2);
  process.kill(run.child.pid as number, 'SIGKILL'); // jest's main process only: it owns the servers
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitNothingLeft(run);
});
