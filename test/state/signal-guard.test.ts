// The ownership proof before a signal: a watcher in its last steps (its state dir already removed) is still
// recognised as the instance's, while an unrelated process is not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkBelongs } from '../../dist/state/process/signal-guard.js';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, waitGone } from '../helpers/proc.js';

test('a process whose cwd is the removed state dir belongs to it; one elsewhere does not', async (t) => {
  const stateDir = join(scratchDir(t, 'guard-'), 'inst');
  mkdirSync(stateDir);
  const idle = ['-e', 'setInterval(() => {}, 1e6)'];
  const inside = spawn(process.execPath, idle, { cwd: stateDir, stdio: 'ignore' });
  const outside = spawn(process.execPath, idle, { cwd: '/', stdio: 'ignore' });
  t.after(async () => {
    for (const c of [inside, outside]) killIfRunning(c.pid);
    await Promise.all([waitGone(inside.pid as number), waitGone(outside.pid as number)]);
  });
  await waitFor('both running', () => isRunning(inside.pid as number) && isRunning(outside.pid as number));
  assert.equal(checkBelongs(inside.pid as number, stateDir, 'watcher'), null);
  rmdirSync(stateDir);
  assert.equal(
    checkBelongs(inside.pid as number, stateDir, 'watcher'),
    null,
    'still ours after the dir is gone',
  );
  assert.match(
    String(checkBelongs(outside.pid as number, stateDir, 'watcher')),
    /shows no sign of belonging/,
  );
});
