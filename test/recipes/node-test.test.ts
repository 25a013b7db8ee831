// The node:test example (examples/node-test) under the real `node --test`: quickdb-watcher/node-test gives the run one
// migrated server, bound to the runner, and every test its own database; nothing is left, even after a SIGKILL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkSharedServer,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

test('node --test: 5 tests in 3 file processes share one server, each test with its own database; nothing is left', async (t) => {
  if (!requireRecipe(t, 'node-test')) return;
  const run = startRecipe(t, 'node-test');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /^# pass 5$/m, out);
  assert.match(out, /^# fail 0$/m, out);
  checkSharedServer(run.report(), 5);
  await waitNothingLeft(run); // the runner has exited: its watcher stops the server a moment later
});

test("node --test: SIGKILL of the runner's main process mid-run leaves nothing behind", async (t) => {
  if (!requireRecipe(t, 'node-test')) return;
  const run = startRecipe(t, 'node-test', true);
  await waitServersReady(run, 2, 1); // --test-concurrency=2: two files hold a test each, on the one server
  process.kill(run.child.pid as number, 'SIGKILL'); // the runner only: the server is bound to it
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitNothingLeft(run);
});

test('node --test: files giving other options (one migrated, one not) get a server each; the same options share one', async (t) => {
  if (!requireRecipe(t, 'node-test-options')) return;
  const run = startRecipe(t, 'node-test-options');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /^# pass 3$/m, out);
  const { servers, tests } = run.report();
  const serverOf = (file: string): string | undefined =>
    servers.find((s) => tests.some((e) => e.file === file && e.dataDirectory.startsWith(`${s.dataDir}/`)))
      ?.id;
  assert.equal(new Set(servers.map((s) => s.id)).size, 2, `two servers: ${JSON.stringify(servers)}`);
  assert.notEqual(serverOf('plain.test.js'), serverOf('migrated.test.js'));
  assert.equal(serverOf('again.test.js'), serverOf('migrated.test.js'));
  await waitNothingLeft(run);
});
