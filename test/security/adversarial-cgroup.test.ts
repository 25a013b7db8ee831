// Adversarial pass: the same id in two state roots must never let one instance's backstop kill the other's cgroup
// (the cgroup name is per id, so the second watcher gets none; post-stop/gc must not guess it then).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeCgroup } from '../helpers/cgroup.js';
import { runCli } from '../helpers/cli.js';
import { requireOrSkip, testBase } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning } from '../helpers/proc.js';

const { available, what } = await probeCgroup();

test('gc of an id in one state root leaves the same id of another state root running', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `adv-twin-${process.pid}`;
  const base = mkdtempSync(join(testBase(), 'adv-twin-'));
  const envA = { ...process.env, QUICKDB_WATCHER_STATE: join(base, 'a') };
  const envB = { ...process.env, QUICKDB_WATCHER_STATE: join(base, 'b') };
  const upArgs = [
    'up',
    'command',
    '--id',
    id,
    '--parent',
    'none',
    '--backend',
    'detached',
    '--format',
    'json',
  ];
  const upA = await runCli([...upArgs, '--', 'sleep', '600'], envA);
  assert.equal(upA.code, 0, upA.stderr);
  const a = JSON.parse(upA.stdout);
  let b: { watcherPid: number; serverPid: number } | null = null;
  t.after(async () => {
    // In this order (after-hooks run first to last): both instances finished, then their state roots removed.
    await runCli(['stop', id], envA);
    await runCli(['gc'], envB);
    for (const pid of [a.watcherPid, a.serverPid, b?.watcherPid, b?.serverPid]) killIfRunning(pid);
    rmSync(base, { recursive: true, force: true });
  });
  const upB = await runCli([...upArgs, '--', 'sleep', '600'], envB);
  assert.equal(upB.code, 0, upB.stderr);
  b = JSON.parse(upB.stdout) as { watcherPid: number; serverPid: number };
  // B's watcher dies without finishing; its gc must clean B up and leave A alone.
  process.kill(b.watcherPid, 'SIGKILL');
  await waitFor('B watcher gone', () => isGone(b.watcherPid));
  const gc = await runCli(['gc'], envB);
  assert.equal(gc.code, 0, gc.stderr);
  await waitFor('B server gone', () => isGone(b.serverPid));
  assert.ok(isRunning(a.watcherPid), 'A watcher still running');
  assert.ok(isRunning(a.serverPid), 'A server still running');
});
