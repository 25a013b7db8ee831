// Parent liveness: PID watch alone (CLI --parent), PID reuse via a wrong start time, and --parent none (the
// launcher SIGKILLed, the instance still served).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startServer } from '../../dist/index.js';
import { normalizeInternalOptions } from '../../dist/launch/options/normalize.js';
import { startInstance } from '../../dist/start/start.js';
import { runCli } from '../helpers/cli.js';
import { CLI, FIXTURES } from '../helpers/env.js';
import { fixtureOptions, registerCleanup, spawnParent } from '../helpers/instance.js';
import { isRunning, killIfRunning, waitGone, waitNotRunning } from '../helpers/proc.js';

const run = promisify(execFile);

test('CLI up --parent PID: the PID watch alone stops the server when that process dies', async (t) => {
  const parent = spawn('sleep', ['1000'], { stdio: 'ignore' });
  t.after(() => killIfRunning(parent.pid));
  const server = [process.execPath, join(FIXTURES, 'server.mjs'), 'polite'];
  const { stdout } = await run(process.execPath, [
    CLI,
    'up',
    'command',
    '--parent',
    String(parent.pid),
    '--format',
    'json',
    '--ready-log',
    'READY',
    '--',
    ...server,
  ]);
  const info = JSON.parse(stdout);
  registerCleanup(t, () => info);
  assert.deepEqual(
    Object.keys(info).sort(),
    ['backend', 'dataDir', 'dataOn', 'driver', 'env', 'id', 'serverPid', 'stateDir', 'watcherPid'].sort(),
  );
  assert.ok(isRunning(info.serverPid));
  parent.kill('SIGKILL');
  await waitGone(info.serverPid);
  await waitGone(info.watcherPid);
  assert.equal(existsSync(info.dataDir), false);
  assert.equal(existsSync(info.stateDir), false);
});

test('a recycled parent pid (recorded start time differs) counts as dead: the server is never handed out', async (t) => {
  const { options } = fixtureOptions(t);
  await assert.rejects(
    // parentStartTime is a test-only option (InternalStartOptions): startServer refuses it, so start directly.
    startInstance(
      normalizeInternalOptions({
        ...options,
        id: 'reused-parent',
        parent: process.pid,
        lifeline: false,
        parentStartTime: '1',
      }),
    ),
    /did not start: it was stopped before ready: parent pid \d+ was reused by another process/,
  );
  assert.equal(existsSync(join(options.stateRoot as string, 'reused-parent')), false);
});

test('--parent none: the instance outlives its launcher, SIGKILLed, until stopped', async (t) => {
  const { options } = fixtureOptions(t);
  const { info } = await spawnParent(t, { ...options, parent: 'none' });
  process.kill(info.parentPid, 'SIGKILL');
  await waitGone(info.parentPid);
  // Still served once its launcher is gone: a stop finds it running. A watcher that followed its launcher would have
  // stopped it within milliseconds of the lifeline closing, long before this stop: "already stopped".
  assert.ok(info.serverPid && isRunning(info.serverPid), 'the server ended with its launcher');
  const stop = await runCli(['stop', info.id]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`^${info.id}: stopped; data dir deleted`));
  if (info.serverPid) await waitNotRunning(info.serverPid);
  await waitNotRunning(info.watcherPid);
  assert.equal(existsSync(info.dataDir), false);
});

test('server children are swept with the server (process group)', async (t) => {
  const { options, trace } = fixtureOptions(t, { child: true });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  const { readTrace } = await import('../helpers/instance.js');
  const childPid = Number(
    readTrace(trace)
      .find((l) => l.startsWith('child '))
      ?.split(' ')[1],
  );
  assert.ok(isRunning(childPid));
  t.after(() => killIfRunning(childPid));
  await instance.stop();
  await waitGone(childPid);
});

test('await using: disposing the handle stops the server and removes the data dir', async (t) => {
  const { options } = fixtureOptions(t);
  let serverPid = 0;
  let dataDir = '';
  {
    await using instance = await startServer(options);
    registerCleanup(t, () => instance.info);
    serverPid = instance.serverPid as number;
    dataDir = instance.dataDir;
    assert.ok(isRunning(serverPid));
  }
  await waitGone(serverPid);
  assert.equal(existsSync(dataDir), false);
});
