// The vitest recipe (examples/vitest) under the real vitest: passes, one server per worker, cleans up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkOneServerPerWorker,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

test('vitest: 3 files pass on 2 forks, each fork with its own server; nothing is left', async (t) => {
  if (!requireRecipe(t, 'vitest')) return;
  const run = startRecipe(t, 'vitest');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /Test Files {2}3 passed \(3\)/, out);
  assert.match(out, /Tests {2}3 passed \(3\)/, out);
  checkOneServerPerWorker(run.report(), 2, 3);
  await waitNothingLeft(run);
});

test('vitest: SIGKILL of vitest mid-run leaves no server, data dir or state behind', async (t) => {
  if (!requireRecipe(t, 'vitest')) return;
  const run = startRecipe(t, 'vitest', true);
  await waitServersReady(run, 2, 2);
  process.kill(run.child.pid as number, 'SIGKILL'); // vitest's main process only: it owns the servers
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitNothingLeft(run);
});
