// A watcher without a parent keeps watching after its server exits on its own, until a signal (`stop`) comes.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, waitGone } from '../helpers/proc.js';

test('--parent none: the server exits 3 on its own; the watcher stays, status says server-exited, stop cleans up', async (t) => {
  const exitFile = join(scratchDir(t), 'exit-now');
  // Ready at once, then exits 3 when the test says so (no timing in the fixture).
  const script = `echo READY; while [ ! -e '${exitFile}' ]; do sleep 0.02; done; exit 3`;
  const r = await runCli([
    'up',
    'command',
    '--id',
    'orphan-1',
    '--parent',
    'none',
    '--backend',
    'detached',
    '--format',
    'json',
    '--ready-log',
    '^READY$',
    '--',
    'sh',
    '-c',
    script,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  registerCleanup(t, () => info);
  writeFileSync(exitFile, '');
  const status = await waitFor('status server-exited', async () => {
    const s = await runCli(['status', 'orphan-1', '--json']);
    const view = s.code === 0 ? JSON.parse(s.stdout) : null;
    return view?.phase === 'server-exited' ? view : null;
  });
  assert.match(status.error ?? '', /exited on its own with code 3/);
  assert.equal(status.watcherAlive, true);
  // The watcher must not drain away: it is still there once the server is reaped and its exit recorded.
  await waitGone(info.serverPid);
  assert.equal(isRunning(info.watcherPid), true, 'the watcher keeps watching');
  const again = JSON.parse((await runCli(['status', 'orphan-1', '--json'])).stdout);
  assert.equal(again.watcherAlive, true);
  const stop = await runCli(['stop', 'orphan-1']);
  assert.equal(stop.code, 0, stop.stderr);
  await waitGone(info.watcherPid);
  assert.equal(existsSync(info.dataDir), false, 'data dir deleted');
  // The record stays to show the server's error until `gc` (a finished record with an error is kept).
  const after = JSON.parse((await runCli(['status', 'orphan-1', '--json'])).stdout);
  assert.equal(after.phase, 'done');
  assert.equal(after.status.dataDir.state, 'deleted');
  assert.equal((await runCli(['gc'])).code, 0);
  assert.doesNotMatch((await runCli(['list'])).stdout, /orphan-1/);
});
