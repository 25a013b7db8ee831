// The several-servers examples (examples/*-also) under the real vitest, jest and `node --test`: beside the migrated
// PostgreSQL, `also` starts a shared Redis (`cache`, a database index per test) and a Redis per worker (`queue`);
// every test reaches the right one and is handed each server's exact version, and nothing is left, even after a
// SIGKILL of the runner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkSharedServer,
  type RecipeName,
  type Report,
  requireRecipe,
  startRecipe,
  waitNothingLeft,
  waitServersReady,
} from './recipe.js';

// The servers of one group, as the run reported them (once per reporting process), by id.
function serversOf(report: Report, group: string): Map<string, number> {
  return new Map(report.servers.filter((s) => s.group === group).map((s) => [s.id, s.serverPid]));
}

// Every test's use of group's Redis reached a server of that group (by its pid), and `count` of them exist.
function checkGroupUses(report: Report, group: string, count: number): void {
  const servers = serversOf(report, group);
  assert.equal(servers.size, count, `${count} ${group} server(s): ${JSON.stringify([...servers])}`);
  const uses = report.redis.filter((r) => r.group === group);
  assert.ok(uses.length >= 2, `tests used ${group}: ${JSON.stringify(report.redis)}`);
  for (const use of uses) {
    assert.equal(servers.get(use.id), use.serverPid, `${use.test} reached ${group} ${use.id} itself`);
  }
}

// The shared cache: one server, each test on a database index of its own (not the default 0). The queue: one per
// worker, each worker always on its own and no two workers on the same.
function checkAlso(report: Report, queues: number): void {
  checkGroupUses(report, 'cache', 1);
  for (const use of report.redis.filter((r) => r.group === 'cache'))
    assert.ok(use.index > 0, `${use.test} had a database index of its own`);
  checkGroupUses(report, 'queue', queues);
  const queueOf = new Map<string, string>();
  for (const use of report.redis.filter((r) => r.group === 'queue')) {
    assert.equal(queueOf.get(use.worker) ?? use.id, use.id, `worker ${use.worker} kept its queue`);
    queueOf.set(use.worker, use.id);
  }
  assert.ok(queueOf.size >= 2, `the queue was used from two workers: ${JSON.stringify([...queueOf])}`);
  assert.equal(new Set(queueOf.values()).size, queueOf.size, 'no two workers shared a queue');
}

// Each test was handed its servers' versions (`server.version`, `server.also.NAME.version`) as the servers themselves
// report them: every Redis use, and the PostgreSQL of each test where the example reports it (`main` of them).
function checkVersions(report: Report, main: number): void {
  const uses = [...report.redis, ...report.tests.filter((test) => test.says !== undefined)];
  assert.equal(
    uses.length,
    report.redis.length + main,
    `tests that reported a version: ${JSON.stringify(uses)}`,
  );
  for (const use of uses) {
    assert.match(String(use.says), /^\d+\.\d+/, `${use.test}: the server reported its version`);
    assert.equal(use.version, use.says, `${use.test} was handed the version its server reports`);
  }
}

// How each runner reports its run's end, and how many queue servers the run starts (node --test: one per file).
// (`versions`: how many tests report their PostgreSQL's version; vitest's `connect` is not handed the server.)
const RUNS: { name: RecipeName; passed: RegExp[]; kill: boolean; versions: number }[] = [
  {
    name: 'vitest-also',
    passed: [/Test Files {2}2 passed \(2\)/, /Tests {2}4 passed \(4\)/],
    kill: true,
    versions: 0,
  },
  { name: 'jest-also', passed: [/Tests: {7}4 passed, 4 total/], kill: false, versions: 4 },
  { name: 'node-test-also', passed: [/^# pass 4$/m, /^# fail 0$/m], kill: true, versions: 4 },
];

for (const { name, passed, kill, versions } of RUNS) {
  test(`${name}: PostgreSQL, a shared Redis and a Redis per worker; each test reaches its own; nothing is left`, async (t) => {
    if (!requireRecipe(t, name, ['redis'])) return;
    const run = startRecipe(t, name);
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 0, out);
    for (const line of passed) assert.match(out, line, out);
    const report = run.report();
    checkSharedServer(report, 4);
    checkAlso(report, 2);
    checkVersions(report, versions);
    await waitNothingLeft(run);
  });

  if (kill)
    test(`${name}: SIGKILL of the runner mid-run leaves none of the four servers behind`, async (t) => {
      if (!requireRecipe(t, name, ['redis'])) return;
      const run = startRecipe(t, name, true);
      await waitServersReady(run, 2, 4); // PostgreSQL, the cache and two queues, two tests held
      process.kill(run.child.pid as number, 'SIGKILL');
      assert.equal((await run.exited).signal, 'SIGKILL');
      await waitNothingLeft(run);
    });
}
