// The note a `stop` holds while it waits never outlives the stop: a `stop` SIGKILLed after its watcher finished
// leaves none behind (on Linux an abstract socket the kernel drops with its holder; elsewhere a file the watcher
// removes when its stopper is already dead).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { wasStoppedRecently } from '../../dist/state/stop-note.js';
import { runCli, upCommand } from '../helpers/cli.js';
import { CLI, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitNotRunning } from '../helpers/proc.js';

test('a stop frozen while its watcher finishes, then SIGKILLed, leaves no note', async (t) => {
  const id = `stop-note-${process.pid}`;
  const up = await upCommand(id);
  assert.equal(up.code, 0, up.stderr);
  const { watcherPid } = JSON.parse(up.stdout) as { watcherPid: number };
  t.after(async () => {
    await runCli(['stop', id]);
    killIfRunning(watcherPid);
  });
  const stopper = spawn(process.execPath, [CLI, 'stop', id], { stdio: 'ignore' });
  t.after(() => killIfRunning(stopper.pid, 'SIGKILL'));
  await waitFor('the stop note', () => wasStoppedRecently(stateRoot(), id), 20_000, 1);
  // Freeze the stopper (alive, holding its note) and let the watcher finish without it.
  process.kill(stopper.pid as number, 'SIGSTOP');
  process.kill(watcherPid, 'SIGTERM');
  await waitNotRunning(watcherPid);
  assert.ok(wasStoppedRecently(stateRoot(), id), 'the live stopper still holds its note');
  process.kill(stopper.pid as number, 'SIGKILL');
  await waitFor('the note of the dead stopper to go', () => !wasStoppedRecently(stateRoot(), id), 10_000);
  assert.equal(
    existsSync(join(stateRoot(), `.stopped-${id}`)),
    false,
    'no note file is left in the state root',
  );
});
