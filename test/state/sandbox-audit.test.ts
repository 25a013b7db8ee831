// The suite's leak audit looks only at what the suite started: a developer's own watcher is not a leak.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { belongsToSandbox } from '../../scripts/sandbox.mjs';
import { testBase } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';

const IDLE = "process.title = 'db-quick-watcher'; setInterval(() => {}, 1e6)";

// Start an idle process titled like a watcher, with the given environment and cwd.
function startLookalike(env: NodeJS.ProcessEnv, cwd: string): number {
  const child = spawn(process.execPath, ['-e', IDLE], { env, cwd, stdio: 'ignore' });
  return child.pid as number;
}

test('a watcher outside the sandbox is not counted; one inside it is', async (t) => {
  const base = testBase();
  const path = process.env.PATH ?? '/usr/bin';
  const foreign = startLookalike({ PATH: path }, '/');
  const ours = startLookalike({ PATH: path, QUICKDB_WATCHER_STATE: `${base}/state` }, '/');
  t.after(async () => {
    for (const pid of [foreign, ours]) killIfRunning(pid);
    await Promise.all([waitGone(foreign), waitGone(ours)]);
  });
  await waitFor('both titled db-quick-watcher', () =>
    [foreign, ours].every((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('db-quick-watcher');
      } catch {
        return false;
      }
    }),
  );
  assert.equal(belongsToSandbox(foreign, base), false, 'a developer’s own watcher is not ours');
  assert.equal(belongsToSandbox(ours, base), true, 'a process naming the sandbox is ours');
});
