// The backstop finishes an instance whose watcher died, in its own name: status.json keeps the watcher's record and
// says who finished it (finishedBy); a second backstop stays out while the first is at work.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readProcStat } from '../../dist/state/process/procstat.js';
import { createStatus, readStatusFile, type Status } from '../../dist/state/records/status.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, waitGone } from '../helpers/proc.js';
import { RUNNER, RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

// Run the watcher's post-stop step as systemd's ExecStopPost does.
function runPostStop(specPath: string): { code: number | null; stderr: string; pid: number } {
  const result = spawnSync(process.execPath, [RUNNER, '--post-stop', specPath], { encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr, pid: result.pid ?? 0 };
}

test("post-stop after a SIGKILLed watcher: the record stays the watcher's and names the post-stop as finisher", async (t) => {
  const { spec, path } = writeSpec(t, { cleanup: false });
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const watcher = spawn(process.execPath, [...RUNNER_ARGV, path], { detached: true, stdio: 'ignore' });
  const watcherPid = watcher.pid as number;
  t.after(() => killIfRunning(watcherPid));
  const statusPath = join(spec.stateDir, 'status.json');
  const ready = await waitFor('the watcher to report ready', () => {
    const s = readStatusFile(statusPath);
    return s?.phase === 'ready' ? s : null;
  });
  const serverPid = ready.serverPid as number;
  t.after(() => killIfRunning(serverPid));
  process.kill(watcherPid, 'SIGKILL');
  await waitGone(watcherPid);

  const post = runPostStop(path);
  assert.equal(post.code, 0, post.stderr);
  await waitGone(serverPid);
  const after = readStatusFile(statusPath) as Status;
  assert.equal(after.phase, 'done');
  assert.equal(after.watcherPid, watcherPid, 'the watcher stays the one on record');
  assert.equal(after.watcherStartTime, ready.watcherStartTime);
  assert.equal(after.times.starting, ready.times.starting, "the watcher's own times are kept");
  assert.equal(after.finishedBy?.by, 'post-stop');
  assert.equal(after.finishedBy?.pid, post.pid, 'the finisher is the post-stop process');
  assert.deepEqual(after.dataDir.state, 'kept', 'cleanup off: the data stays');
  assert.match(post.stderr, new RegExp(`db-quick-watcher --post-stop\\[${post.pid}\\] ${spec.id}: `));
  assert.doesNotMatch(post.stderr, /watcher exits with code/, 'it does not speak as the watcher');
  assert.match(post.stderr, /finished the instance \(code 0\)/);
});

test('a backstop already at work keeps a second one out; once it is gone, the next one finishes', async (t) => {
  const { spec, path } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const busy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const busyPid = busy.pid as number;
  t.after(() => killIfRunning(busyPid));
  const busyStart = await waitFor('the busy backstop to run', () => readProcStat(busyPid)?.startTime);
  const deadWatcher = spawnSync('true').pid as number;
  const status: Status = {
    ...createStatus(spec.id, 'ready', { pid: deadWatcher, startTime: '1' }),
    finishedBy: { by: 'gc', pid: busyPid, startTime: busyStart, at: new Date().toISOString() },
  };
  const statusPath = join(spec.stateDir, 'status.json');
  writeFileSync(statusPath, JSON.stringify(status));

  const first = runPostStop(path);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(readStatusFile(statusPath)?.phase, 'ready', 'nothing done while the other backstop runs');
  assert.equal(readFileSync(join(spec.dataDir, '.quickdb-watcher'), 'utf8'), `${spec.id}\n`);

  busy.kill('SIGKILL');
  await waitGone(busyPid);
  assert.ok(!isRunning(busyPid));
  const second = runPostStop(path);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(existsSync(spec.dataDir), false, 'the data dir is deleted');
  assert.equal(existsSync(spec.stateDir), false, 'a clean finish leaves no state');
});
