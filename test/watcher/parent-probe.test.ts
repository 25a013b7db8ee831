// The PID watch's probe: alive, gone, zombie, wrong start time, and a pid reused by a new process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStartTime } from '../../dist/state/process/procstat.js';
import { openParentProbe } from '../../dist/watcher/parent-probe.js';
import { ROOT } from '../helpers/env.js';
import { scaleDeadline } from '../helpers/load.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, killIfRunning, procState } from '../helpers/proc.js';

test('a running process is alive; SIGKILLed and reaped, it is gone', async (t) => {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  const pid = child.pid as number;
  t.after(() => killIfRunning(pid));
  const probe = openParentProbe({ pid, startTime: readStartTime(pid) });
  t.after(() => probe.close());
  assert.equal(probe.check(), null);
  assert.equal(probe.check(), null, 'a second read of the same fd still sees it');
  child.kill('SIGKILL');
  await waitFor('the child to be reaped', () => isGone(pid));
  assert.equal(probe.check(), `pid ${pid} is gone`);
});

test('a zombie counts as dead', async (t) => {
  // `sleep 1000` (exec'd by sh) never waits for its child `sleep 0.2`, which then stays a zombie.
  const keeper = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 1000'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  t.after(() => killIfRunning(keeper.pid));
  const pid = Number(
    await new Promise<string>((resolve) => keeper.stdout.once('data', (d) => resolve(String(d)))),
  );
  await waitFor('the child to be a zombie', () => procState(pid) === 'Z');
  const probe = openParentProbe({ pid });
  t.after(() => probe.close());
  assert.equal(probe.check(), `pid ${pid} is a zombie`);
});

test('a recorded start time that differs means the pid was reused', (t) => {
  const probe = openParentProbe({ pid: process.pid, startTime: '1' });
  t.after(() => probe.close());
  assert.equal(probe.check(), `pid ${process.pid} was reused by another process`);
  const right = openParentProbe({ pid: process.pid, startTime: readStartTime(process.pid) });
  t.after(() => right.close());
  assert.equal(right.check(), null);
});

// Run in a private pid namespace (own /proc): pid p dies, ns_last_pid = p - 1 makes the next process p again.
const REUSE_SCRIPT = `
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describeGone } from '${join(ROOT, 'dist/state/process/procstat.js')}';
import { openParentProbe } from '${join(ROOT, 'dist/watcher/parent-probe.js')}';
const first = spawn('sleep', ['1000']);
await new Promise((r) => first.once('spawn', r));
const probe = openParentProbe({ pid: first.pid });
const before = probe.check();
first.kill('SIGKILL');
await new Promise((r) => first.once('exit', r));
writeFileSync('/proc/sys/kernel/ns_last_pid', String(first.pid - 1));
const second = spawn('sleep', ['1000']);
await new Promise((r) => second.once('spawn', r));
const out = { first: first.pid, second: second.pid, before, after: probe.check(), byPath: describeGone({ pid: first.pid }) };
second.kill('SIGKILL');
process.stdout.write(JSON.stringify(out));
`;

test('a parent whose pid was given to a new process is still gone (the fd names the first one)', (t) => {
  const r = spawnSync(
    'unshare',
    ['--pid', '--fork', '--mount-proc', process.execPath, '--input-type=module', '-e', REUSE_SCRIPT],
    {
      encoding: 'utf8',
      timeout: scaleDeadline(30_000),
    },
  );
  if (r.status !== 0) {
    t.skip(`needs a private pid namespace (unshare as root): ${r.error?.message ?? r.stderr.slice(-300)}`);
    return;
  }
  const out = JSON.parse(r.stdout);
  assert.equal(out.second, out.first, 'the pid was reused');
  assert.equal(out.before, null);
  assert.equal(out.byPath, null, 'a fresh read by path (no start time) is fooled by the reuse');
  assert.equal(out.after, `pid ${out.first} is gone`);
});
