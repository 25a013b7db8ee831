// The node:test recipe (examples/node-test) under the real `node --test`: passes, one server per file process, cleans up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkOneServerPerWorker,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

test('node --test: 3 files pass, each in its own process with its own server; nothing is left', async (t) => {
  if (!requireRecipe(t, 'node-test')) return;
  const run = startRecipe(t, 'node-test');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /^# pass 3$/m, out);
  assert.match(out, /^# fail 0$/m, out);
  checkOneServerPerWorker(run.report(), 3, 3);
  await waitNothingLeft(run);
});

test('node --test: SIGKILL of the runner and its file processes mid-run leaves nothing behind', async (t) => {
  if (!requireRecipe(t, 'node-test')) return;
  const run = startRecipe(t, 'node-test', true);
  await waitServersReady(run, 2, 2); // --test-concurrency=2: two files hold their servers
  process.kill(-(run.child.pid as number), 'SIGKILL'); // the servers belong to the file processes
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitNothingLeft(run);
});
