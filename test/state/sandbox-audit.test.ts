// The suite's leak audit looks only at what the suite started: a developer's own watcher is not a leak, nor another
// PostgreSQL's orphaned SysV segment.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { watchIpc } from '../../scripts/ipc-audit.mjs';
import { belongsToSandbox } from '../../scripts/sandbox.mjs';
import { requirePostgres } from '../drivers/db.js';
import { scratchDir, testBase } from '../helpers/env.js';
import { startForeignPostgres } from '../helpers/foreign-pg.js';
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

test('the IPC audit counts an orphaned segment made inside the sandbox, not one of a PostgreSQL beside it', async (t) => {
  if (!requirePostgres(t)) return;
  // A sandbox of its own for this audit (the server's user must reach into it, as in the suite's own).
  const sandbox = scratchDir(t, 'ipc-audit-');
  chmodSync(sandbox, 0o711);
  const watch = watchIpc(sandbox, 20);
  t.after(() => watch.stop());
  const beside = await startForeignPostgres(t);
  const inside = await startForeignPostgres(t, sandbox);
  await waitFor('the audit to attribute the inside segment', () =>
    watch.attributed().includes(`shm ${inside.shmid}`),
  );
  await Promise.all([beside.orphan(), inside.orphan()]);
  const leaks = watch.stop();
  assert.deepEqual(
    leaks.map((line) => line.split(' (')[0]),
    [`shm ${inside.shmid}`],
    `only the sandbox's orphan is its leak: ${leaks.join('; ')}`,
  );
  assert.match(leaks[0] ?? '', new RegExp(`key ${inside.key}, made or used by pid \\d+, 0 attached`));
});
