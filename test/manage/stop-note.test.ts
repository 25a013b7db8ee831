// A stop's note (docs/design.md, "Two stops at once"): a stop that finds its instance already gone answers 0,
// "already stopped", for ten minutes after another stop of that id began or ended, however the two interleave; an id
// no stop touched answers 2. The note is a file in the private state root, so no other user can fake one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { NOTE_TTL_MS } from '../../dist/state/records/stop-note.js';
import { runCli, upCommand } from '../helpers/cli.js';
import { FIXTURES, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitNotRunning } from '../helpers/proc.js';

const isRoot = process.getuid?.() === 0;

// Start an instance of the fixture server; its watcher pid (stopped and reaped after the test).
async function startInstance(t: import('node:test').TestContext, id: string): Promise<number> {
  const up = await upCommand(id);
  assert.equal(up.code, 0, up.stderr);
  const { watcherPid } = JSON.parse(up.stdout) as { watcherPid: number };
  t.after(async () => {
    await runCli(['stop', id]);
    killIfRunning(watcherPid);
  });
  return watcherPid;
}

test('a second stop after the first finished answers 0 "already stopped"; an id never stopped answers 2', async (t) => {
  const id = `stop-twice-${process.pid}`;
  const watcherPid = await startInstance(t, id);
  const first = await runCli(['stop', id]);
  assert.equal(first.code, 0, first.stderr);
  await waitNotRunning(watcherPid);
  const second = await runCli(['stop', id]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`^${id}: already stopped`));
  const never = await runCli(['stop', `never-${process.pid}`]);
  assert.equal(never.code, 2, never.stdout);
  assert.match(never.stderr, /no such instance/);
});

test('two stops started together both answer 0, in every round', async (t) => {
  for (let round = 0; round < 5; round++) {
    const id = `stop-race-${process.pid}-${round}`;
    const watcherPid = await startInstance(t, id);
    const [a, b] = await Promise.all([runCli(['stop', id]), runCli(['stop', id])]);
    assert.deepEqual([a.code, b.code], [0, 0], `round ${round}: ${a.stderr}${b.stderr}`);
    await waitNotRunning(watcherPid);
  }
});

test('a note older than ten minutes no longer counts, and gc removes it', async (t) => {
  const id = `stop-old-${process.pid}`;
  const watcherPid = await startInstance(t, id);
  assert.equal((await runCli(['stop', id])).code, 0);
  await waitNotRunning(watcherPid);
  const note = join(stateRoot(), `.stopped-${id}`);
  const old = (Date.now() - NOTE_TTL_MS - 60_000) / 1000;
  utimesSync(note, old, old);
  assert.equal((await runCli(['stop', id])).code, 2, 'too old to say "already stopped"');
  assert.equal((await runCli(['gc'])).code, 0);
  assert.equal(existsSync(note), false, 'gc removed the old note');
});

test('another user holding the old abstract stop-note name cannot make `stop <unknown id>` answer 0', async (t) => {
  if (!isRoot) return t.skip('needs root to act as another user');
  const id = `squatted-${process.pid}`;
  const hash = createHash('sha256')
    .update(`${resolve(stateRoot())}\0${id}`)
    .digest('hex')
    .slice(0, 32);
  const name = `quickdb-watcher-stop-${hash}`;
  const squatter = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen('\\0${name}', () => console.log('HELD'))`],
    { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'], cwd: FIXTURES },
  );
  t.after(() => killIfRunning(squatter.pid, 'SIGKILL'));
  let out = '';
  squatter.stdout.on('data', (d) => {
    out += d;
  });
  await waitFor('the squatter to hold the name', () => out.includes('HELD'), 20_000);
  const r = await runCli(['stop', id]);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /no such instance/);
});
