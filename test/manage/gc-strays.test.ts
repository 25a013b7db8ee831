// The backstop finds servers by their instance tag: a runner killed before it recorded the server's pid leaks nothing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createStatus } from '../../dist/state/records/status.js';
import { runCli } from '../helpers/cli.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';
import { writeSpec } from '../helpers/spec.js';

test('gc kills a server whose pid was never recorded (tagged QUICKDB_WATCHER_INSTANCE) and deletes the data dir', async (t) => {
  const { spec } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  // A runner that died in phase "spawning": its pid is gone (a process that already exited) and no server pid.
  const dead = spawnSync('true');
  const status = createStatus(spec.id, 'spawning', { pid: dead.pid as number, startTime: '1' });
  writeFileSync(join(spec.stateDir, 'status.json'), JSON.stringify({ ...status, times: {} }));
  const stray = spawn('sleep', ['1000'], {
    env: { ...process.env, QUICKDB_WATCHER_INSTANCE: spec.stateDir },
    stdio: 'ignore',
    detached: true,
  });
  const other = spawn('sleep', ['1000'], {
    env: { ...process.env, QUICKDB_WATCHER_INSTANCE: `${spec.stateDir}-other` },
    stdio: 'ignore',
  });
  t.after(() => {
    killIfRunning(stray.pid);
    killIfRunning(other.pid);
  });
  const gc = await runCli(['gc']);
  assert.match(gc.stdout, new RegExp(`${spec.id}: recovered: data dir deleted`));
  await waitGone(stray.pid as number);
  assert.equal(existsSync(spec.dataDir), false);
  assert.equal(existsSync(spec.stateDir), false);
  assert.ok(existsSync(`/proc/${other.pid}`), 'a process tagged with another instance is left alone');
});
