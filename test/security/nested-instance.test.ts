// An instance started from inside another instance's server is its own: its watcher carries no instance tag (so
// the outer's sweep never takes it), and stopping the outer never leaves the inner server running without its
// watcher; the outer's cgroup tree is removed, and after a gc nothing of either is left.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readStatusFile } from '../../dist/state/records/status.js';
import { probeCgroup, removeCgroupTree } from '../helpers/cgroup.js';
import { runCli, upCommand } from '../helpers/cli.js';
import { CLI, FIXTURES, requireOrSkip, scratchDir, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isBeingKilled, isGone, isRunning, killIfRunning } from '../helpers/proc.js';

const { available, what } = await probeCgroup();

interface Inner {
  watcherPid: number;
  serverPid: number;
  stateDir: string;
  dataDir: string;
}

// The environment of a live process as NAME=VALUE lines.
function readEnviron(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
}

// Start an outer instance whose server (test/fixtures/nested-up.sh) starts the inner one with `innerOptions`;
// returns the inner's JSON and the outer's cgroup. Whatever a failed test leaves is killed and removed after it.
async function startNested(t: TestContext, name: string, innerOptions: string[]) {
  const outer = `${name}-outer-${process.pid}`;
  const inner = `${name}-inner-${process.pid}`;
  const out = join(scratchDir(t, 'nested-'), 'inner.json');
  const cgroups: string[] = [];
  let pids: number[] = [];
  t.after(async () => {
    for (const pid of pids) killIfRunning(pid);
    await runCli(['stop', outer]);
    await runCli(['gc']);
    for (const cgroup of cgroups) await removeCgroupTree(cgroup);
  });
  const up = await runCli([
    ...['up', 'command', '--id', outer, '--parent', 'none', '--backend', 'detached', '--format', 'json'],
    ...['--fast-grace', '1000', '--', 'sh', join(FIXTURES, 'nested-up.sh'), out, process.execPath, CLI],
    ...['--id', inner, ...innerOptions],
  ]);
  assert.equal(up.code, 0, up.stderr);
  const outerCgroup = readStatusFile(join(stateRoot(), outer, 'status.json'))?.cgroup;
  assert.ok(outerCgroup, 'the outer instance has a cgroup');
  cgroups.push(outerCgroup);
  const innerInfo = await waitFor('the inner instance', () =>
    existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Inner) : null,
  );
  pids = [innerInfo.watcherPid, innerInfo.serverPid];
  return { outer, inner, innerInfo, outerCgroup };
}

// Stop the outer instance while watching the inner pair every few ms; returns the moments its server ran alone.
// One cgroup.kill sends SIGKILL to both at once, and either may be scheduled to die first: a server whose SIGKILL is
// already pending is not running alone.
async function stopWatchingInner(outer: string, info: Inner): Promise<string[]> {
  const alone: string[] = [];
  let stopping = true;
  const sampler = (async () => {
    while (stopping || isRunning(info.serverPid)) {
      if (!isRunning(info.watcherPid) && isRunning(info.serverPid) && !isBeingKilled(info.serverPid))
        alone.push(`server ${info.serverPid} running, watcher ${info.watcherPid} gone`);
      if (alone.length > 3) break;
      await sleep(2);
    }
  })();
  const stop = await runCli(['stop', outer]);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor(`inner server ${info.serverPid} gone`, () => isGone(info.serverPid) || alone.length > 3);
  stopping = false;
  await sampler;
  return alone;
}

// The checks both nesting tests share: tags, containment inside the outer's cgroup, the stop, and the gc after it.
// An inner bound to the outer server finishes itself (records and data gone before any gc); one bound to nothing is
// killed with the outer's cgroup, and gc finishes it.
async function checkNested(t: TestContext, name: string, innerOptions: string[], finishesItself: boolean) {
  const { outer, inner, innerInfo, outerCgroup } = await startNested(t, name, innerOptions);
  const watcherEnv = readEnviron(innerInfo.watcherPid);
  assert.deepEqual(
    watcherEnv.filter((v) => v.startsWith('QUICKDB_WATCHER_INSTANCE=')),
    [],
    'the inner watcher carries no instance tag (not the outer one)',
  );
  assert.ok(
    watcherEnv.some((v) => v.startsWith('QDW_TEST_BASE=')),
    'the test audit still sees the inner watcher',
  );
  assert.deepEqual(
    readEnviron(innerInfo.serverPid).filter((v) => v.startsWith('QUICKDB_WATCHER_INSTANCE=')),
    [`QUICKDB_WATCHER_INSTANCE=${innerInfo.stateDir}`],
    'the inner server carries its own tag only',
  );
  const innerCgroup = readStatusFile(join(innerInfo.stateDir, 'status.json'))?.cgroup;
  assert.ok(innerCgroup?.startsWith(`${outerCgroup}/`), `${innerCgroup} lies inside ${outerCgroup}`);
  assert.deepEqual(await stopWatchingInner(outer, innerInfo), [], 'the inner server never ran alone');
  await waitFor(`inner watcher ${innerInfo.watcherPid} gone`, () => !isRunning(innerInfo.watcherPid));
  await waitFor(`${outerCgroup} removed`, () => !existsSync(outerCgroup));
  if (finishesItself)
    assert.equal(existsSync(innerInfo.stateDir), false, 'the inner watcher finished its instance');
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  const list = await runCli(['list', '--json']);
  for (const id of [outer, inner])
    assert.equal(list.stdout.includes(id), false, `${id} finished: ${list.stdout}`);
  assert.equal(existsSync(innerInfo.dataDir), false, 'the inner data dir is gone');
}

test('stopping the outer instance ends an inner one bound to the outer server with its watcher', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  await checkNested(t, 'nest-bound', [], true);
});

test('stopping the outer instance takes an inner --parent none instance, watcher and server together', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  await checkNested(t, 'nest-free', ['--parent', 'none'], false);
});

test("a server never sees the run's handoff (other servers' URLs and passwords) or an instance tag it was launched with", async (t) => {
  const id = `handoff-env-${process.pid}`;
  const env = {
    ...process.env,
    QUICKDB_WATCHER_SERVERS: '{"secret":"postgresql://u:hunter2@127.0.0.1:5432/db"}',
    QUICKDB_WATCHER_INSTANCE: '/somewhere/else',
  };
  const up = await upCommand(id, [], ['sh', '-c', 'echo READY; exec sleep 300'], env);
  t.after(() => runCli(['stop', id]));
  assert.equal(up.code, 0, up.stderr);
  const { serverPid, watcherPid } = JSON.parse(up.stdout) as { serverPid: number; watcherPid: number };
  for (const pid of [serverPid, watcherPid]) {
    const environ = readEnviron(pid);
    assert.equal(environ.filter((v) => v.startsWith('QUICKDB_WATCHER_SERVERS=')).length, 0, `pid ${pid}`);
    assert.ok(
      !environ.includes('QUICKDB_WATCHER_INSTANCE=/somewhere/else'),
      `pid ${pid} carries the old tag`,
    );
  }
  assert.equal((await runCli(['stop', id])).code, 0);
});
