// The note a `stop` leaves while it waits never outlives the stop: a `stop` SIGKILLed mid-wait leaves none behind
// once the watcher has finished.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { CLI, FIXTURES, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, waitNotRunning } from '../helpers/proc.js';

test('a stop SIGKILLed while it waits leaves no note once the watcher is done', async (t) => {
  const id = `stop-note-${process.pid}`;
  const note = join(stateRoot(), `.stopped-${id}`);
  // A stubborn server ignores SIGTERM, so the stop waits out the 3 s grace before the fast stop signal.
  const server = ['--', process.execPath, join(FIXTURES, 'server.mjs'), 'stubborn'];
  const up = await runCli([
    'up',
    'command',
    '--id',
    id,
    '--parent',
    'none',
    '--stop-grace',
    '3000',
    '--format',
    'json',
    ...server,
  ]);
  assert.equal(up.code, 0, up.stderr);
  const { watcherPid } = JSON.parse(up.stdout) as { watcherPid: number };
  t.after(async () => {
    await runCli(['stop', id]);
    killIfRunning(watcherPid);
  });
  const stopper = spawn(process.execPath, [CLI, 'stop', id], { stdio: 'ignore' });
  t.after(() => killIfRunning(stopper.pid));
  await waitFor('the stop note', () => existsSync(note));
  stopper.kill('SIGKILL');
  assert.ok(isRunning(watcherPid), 'the watcher is still stopping its server');
  await waitNotRunning(watcherPid);
  await waitFor('the note of the dead stopper to go', () => !existsSync(note), 10_000);
});
