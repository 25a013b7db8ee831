// Where the detached backend's instance cgroup goes: a launcher in the root cgroup still gets one (beside the root's
// own children, found and removed by stop and gc); where none can be made, `status` says containment is not
// available, and why.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findCgroupMount, findOwnCgroup, nameInstanceCgroup } from '../../dist/state/process/cgroup.js';
import { readStatusFile } from '../../dist/state/records/status.js';
import { cgroupOf, probeCgroup, removeCgroupTree } from '../helpers/cgroup.js';
import { runCli, runCliIn } from '../helpers/cli.js';
import { requireOrSkip, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning } from '../helpers/proc.js';

const { available, what } = await probeCgroup();
const UP = ['up', 'command', '--parent', 'none', '--backend', 'detached', '--format', 'json'];

test('a launcher in the root cgroup gets a cgroup for its server, which gc removes after a SIGKILLed watcher', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const mount = findCgroupMount() as string;
  const id = `cg-root-${process.pid}`;
  const expected = join(mount, nameInstanceCgroup({ id, stateDir: join(stateRoot(), id) }));
  let pids: number[] = [];
  t.after(async () => {
    for (const pid of pids) killIfRunning(pid);
    await runCli(['gc']);
    await removeCgroupTree(expected);
  });
  const up = await runCliIn(mount, [...UP, '--id', id, '--', 'sleep', '600']);
  assert.equal(up.code, 0, up.stderr);
  const { watcherPid, serverPid } = JSON.parse(up.stdout) as { watcherPid: number; serverPid: number };
  pids = [watcherPid, serverPid];
  assert.equal(readStatusFile(join(stateRoot(), id, 'status.json'))?.cgroup, expected);
  assert.equal(cgroupOf(serverPid), expected, 'the server runs in the instance cgroup');
  process.kill(watcherPid, 'SIGKILL');
  await waitFor(`watcher ${watcherPid} not running`, () => !isRunning(watcherPid));
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  await waitFor(`server ${serverPid} gone`, () => isGone(serverPid), 20_000);
  assert.equal(existsSync(expected), false, `${expected} removed by gc`);
});

test('where no cgroup can be made, status says containment is not available and why', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  // A cgroup that allows no child cgroups: a launcher started in it is refused one.
  const closed = join(findOwnCgroup() as string, `qdw-closed-${process.pid}`);
  mkdirSync(closed);
  writeFileSync(join(closed, 'cgroup.max.descendants'), '0\n');
  const id = `cg-none-${process.pid}`;
  let watcherPid = 0;
  t.after(async () => {
    await runCli(['stop', id]);
    killIfRunning(watcherPid);
    await runCli(['gc']);
    await waitFor(`${closed} empty`, () => readFileSync(join(closed, 'cgroup.procs'), 'utf8') === '');
    rmdirSync(closed);
  });
  const up = await runCliIn(closed, [...UP, '--id', id, '--', 'sleep', '600']);
  assert.equal(up.code, 0, up.stderr);
  watcherPid = JSON.parse(up.stdout).watcherPid;
  const text = await runCli(['status', id]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^containment\s+not available: .*resource temporarily unavailable/im);
  const json = await runCli(['status', id, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const { containment } = JSON.parse(json.stdout);
  assert.equal(containment?.available, false, json.stdout);
  assert.match(containment.reason, new RegExp(`${closed}.*resource temporarily unavailable`, 'i'));
});
