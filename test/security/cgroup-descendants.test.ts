// Containment covers descendants: a server's daemon that moves itself into a child cgroup of the instance's cgroup
// (so the instance cgroup's own cgroup.procs is empty), with setsid and a cleared environment, is still killed and
// the whole cgroup tree removed: on stop, and by gc after the watcher itself was SIGKILLed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { readStatusFile } from '../../dist/state/records/status.js';
import { cgroupOf, probeCgroup, removeCgroupTree } from '../helpers/cgroup.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, requireOrSkip, scratchDir, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning, readPidFile } from '../helpers/proc.js';

const { available, what } = await probeCgroup();

// Start test/fixtures/cgroup-escaper.sh as a detached instance; returns its daemon (already in <cgroup>/evil), its
// watcher and its recorded cgroup. Whatever a failed test leaves is killed and removed after it.
async function startEscaper(t: TestContext, id: string) {
  const pidFile = join(scratchDir(t, 'cg-escape-'), 'daemon.pid');
  const cgroups: string[] = [];
  t.after(async () => {
    killIfRunning(readPidFile(pidFile));
    await runCli(['stop', id]);
    await runCli(['gc']);
    for (const cgroup of cgroups) await removeCgroupTree(cgroup);
  });
  const up = await runCli([
    ...['up', 'command', '--id', id, '--parent', 'none', '--backend', 'detached', '--format', 'json'],
    ...['--', 'sh', join(FIXTURES, 'cgroup-escaper.sh'), pidFile],
  ]);
  assert.equal(up.code, 0, up.stderr);
  const cgroup = readStatusFile(join(stateRoot(), id, 'status.json'))?.cgroup;
  assert.ok(cgroup, 'the instance has a cgroup');
  cgroups.push(cgroup);
  const daemon = await waitFor('the daemon pid', () => readPidFile(pidFile));
  assert.equal(cgroupOf(daemon), join(cgroup, 'evil'), 'the daemon sits in a child cgroup of the instance');
  assert.equal(readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').includes(`${daemon}\n`), false);
  return { daemon, cgroup, watcher: JSON.parse(up.stdout).watcherPid as number };
}

test('stop kills a daemon that moved into a child cgroup, and removes the whole cgroup tree', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `cg-child-stop-${process.pid}`;
  const { daemon, cgroup } = await startEscaper(t, id);
  const stop = await runCli(['stop', id]);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon), 20_000);
  assert.equal(existsSync(cgroup), false, `${cgroup} and its child cgroup are removed`);
});

test('gc kills a daemon in a child cgroup after the watcher was SIGKILLed, and removes the tree', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `cg-child-gc-${process.pid}`;
  const { daemon, cgroup, watcher } = await startEscaper(t, id);
  process.kill(watcher, 'SIGKILL');
  await waitFor(`watcher ${watcher} not running`, () => !isRunning(watcher));
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon), 20_000);
  assert.equal(existsSync(cgroup), false, `${cgroup} and its child cgroup are removed`);
  assert.equal((await runCli(['list', '--json'])).stdout.includes(id), false, `gc finished ${id}`);
});
