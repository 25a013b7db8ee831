// The per-instance cgroup: it catches a daemon that left with setsid and a cleared environment, and it refuses
// any path that is not provably an instance's cgroup.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import {
  createInstanceCgroup,
  isInstanceCgroup,
  listCgroupProcesses,
  nameInstanceCgroup,
} from '../../dist/state/process/cgroup.js';
import { killInstanceCgroup } from '../../dist/state/process/cgroup-kill.js';
import { probeCgroup, removeCgroupTree } from '../helpers/cgroup.js';
import { requireOrSkip } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning } from '../helpers/proc.js';

const { available, what } = await probeCgroup();

test('a daemon that double-forks with setsid and env -i is killed with its cgroup', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `cg-${process.pid}-${Date.now()}`;
  const owner = { id, stateDir: `/nonexistent/${id}` };
  const made = createInstanceCgroup(owner);
  assert.ok(made.path);
  const cgroup = made.path;
  const pidFile = join(mkdtempSync(join(tmpdir(), 'cg-')), 'daemon.pid');
  // The shell joins the cgroup, then leaves a daemon behind: new session, empty environment, parent gone.
  const script = `echo $$ > ${cgroup}/cgroup.procs; setsid env -i sh -c 'sleep 300 & echo $! > ${pidFile}' &`;
  const sh = spawn('sh', ['-c', script], { stdio: 'ignore' });
  const shExited = new Promise((resolve) => sh.once('exit', resolve));
  t.after(() => {
    killIfRunning(Number(readFileSync(pidFile, 'utf8')));
    rmSync(dirname(pidFile), { recursive: true, force: true });
  });
  const daemon = await waitFor('the daemon pid', () => {
    try {
      return Number(readFileSync(pidFile, 'utf8')) || null;
    } catch {
      return null;
    }
  });
  await shExited;
  assert.ok(listCgroupProcesses(cgroup).includes(daemon), 'the daemon is in the instance cgroup');
  assert.doesNotMatch(readFileSync(`/proc/${daemon}/environ`, 'latin1'), /QUICKDB|QDW/, 'it carries no tag');
  const killed = await killInstanceCgroup(cgroup, owner);
  assert.equal(typeof killed, 'number');
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon));
  assert.equal(existsSync(cgroup), false, 'the cgroup is removed');
});

test('a cgroup path that is not the instance own is refused, never killed', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const x = { id: 'x', stateDir: '/state/x' };
  const name = nameInstanceCgroup(x);
  assert.equal(isInstanceCgroup('/sys/fs/cgroup/unified/init.scope', x), false);
  assert.equal(isInstanceCgroup(`/tmp/${name}`, x), false, 'outside the cgroup mount');
  assert.equal(isInstanceCgroup(`/sys/fs/cgroup/unified/${name}/../init.scope`, x), false);
  const twin = `/sys/fs/cgroup/unified/${nameInstanceCgroup({ id: 'x', stateDir: '/other-root/x' })}`;
  assert.equal(isInstanceCgroup(twin, x), false, 'the same id of another state root is not ours');
  const verdict = await killInstanceCgroup('/sys/fs/cgroup/unified/init.scope', x);
  assert.match(String(verdict), /not quickdb-watcher's cgroup/);
});

test('processes in child cgroups two levels down are killed, and the tree is removed bottom-up', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const owner = { id: `cg-deep-${process.pid}`, stateDir: `/nonexistent/cg-deep-${process.pid}` };
  const cgroup = createInstanceCgroup(owner).path as string;
  t.after(() => removeCgroupTree(cgroup));
  mkdirSync(join(cgroup, 'a', 'b'), { recursive: true });
  // Each in a session of its own (detached), moved into a child cgroup: nothing in the instance cgroup itself.
  const pids = [join(cgroup, 'a'), join(cgroup, 'a', 'b')].map((dir) => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
    writeFileSync(join(dir, 'cgroup.procs'), `${child.pid}\n`);
    return child.pid as number;
  });
  t.after(() => {
    for (const pid of pids) killIfRunning(pid);
  });
  assert.deepEqual(listCgroupProcesses(cgroup), [], 'the instance cgroup itself holds no process');
  assert.equal(await killInstanceCgroup(cgroup, owner), 2);
  for (const pid of pids) await waitFor(`pid ${pid} gone`, () => !isRunning(pid));
  assert.equal(existsSync(cgroup), false, 'the cgroup and its children are removed');
});

test('a recorded cgroup that another user owns is refused, never killed', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  if (process.getuid?.() !== 0) return t.skip('needs root to give a cgroup away');
  const owner = { id: `cg-foreign-${process.pid}`, stateDir: `/nonexistent/cg-foreign-${process.pid}` };
  const cgroup = createInstanceCgroup(owner).path as string;
  t.after(() => removeCgroupTree(cgroup));
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  t.after(() => killIfRunning(child.pid));
  writeFileSync(join(cgroup, 'cgroup.procs'), `${child.pid}\n`);
  chownSync(cgroup, 65534, 65534);
  assert.match(String(await killInstanceCgroup(cgroup, owner)), /owned by uid 65534; not touched/);
  assert.ok(isRunning(child.pid as number), 'its process still runs');
  assert.ok(existsSync(cgroup), 'the cgroup is still there');
});
