// The vitest example (examples/vitest) under the real vitest, forks and threads: quickdb-watcher/vitest's globalSetup
// starts one migrated server, every test gets its own database, and nothing is left, even after a SIGKILL.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import {
  checkSharedServer,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

for (const pool of ['forks', 'threads']) {
  test(`vitest (${pool}): 5 tests in 3 files pass on 2 workers, each with its own database; nothing is left`, async (t) => {
    if (!requireRecipe(t, 'vitest')) return;
    const run = startRecipe(t, 'vitest', false, ['--pool', pool]);
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 0, out);
    assert.match(out, /Test Files {2}3 passed \(3\)/, out);
    assert.match(out, /Tests {2}5 passed \(5\)/, out);
    checkSharedServer(run.report(), 5);
    await waitNothingLeft(run);
  });

  test(`vitest (${pool}): SIGKILL of vitest mid-run leaves no server, data dir or state behind`, async (t) => {
    if (!requireRecipe(t, 'vitest')) return;
    const run = startRecipe(t, 'vitest', true, ['--pool', pool]);
    await waitServersReady(run, 2, 1); // two workers hold a test each, on the one server
    process.kill(run.child.pid as number, 'SIGKILL'); // vitest's main process only: it owns the server
    assert.equal((await run.exited).signal, 'SIGKILL');
    await waitNothingLeft(run);
  });
}

test("vitest, servers: 'per-worker' with no maxWorkers: a server for each worker of vitest's default count", async (t) => {
  if (!requireRecipe(t, 'vitest-per-worker')) return;
  const run = startRecipe(t, 'vitest-per-worker');
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 0, out);
  assert.match(out, /Tests {2}2 passed \(2\)/, out);
  const { servers, tests } = run.report();
  const workers = Math.max(availableParallelism() - 1, 1); // vitest's own default for `vitest run`
  assert.equal(new Set(servers.map((s) => s.id)).size, workers, JSON.stringify(servers));
  for (const test of tests) {
    const server = servers[Number(test.worker) - 1];
    assert.ok(
      server && test.dataDirectory.startsWith(`${server.dataDir}/`),
      `${test.test} ran on its worker's server`,
    );
  }
  await waitNothingLeft(run);
});
