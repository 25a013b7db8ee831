// Launches that fail: never ready, a command that does not exist, the runner killed before ready. Nothing may be left.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { readStatusFile } from '../../dist/state/records/status.js';
import { CLI, FIXTURES, scratchDir, stateRoot } from '../helpers/env.js';
import { scaleDeadline } from '../helpers/load.js';
import { waitFor } from '../helpers/poll.js';
import { findInstanceProcesses, killIfRunning, waitGone } from '../helpers/proc.js';

const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('a server that never becomes ready: up fails with exit 1, the logs, and leaves nothing', async (t) => {
  const dir = scratchDir(t);
  const marker = join(dir, 'never');
  // Long enough for the fixture (a node process) to start and print READY even on a loaded machine: the log tail
  // must show it.
  const readyMs = scaleDeadline(2000);
  const args = [
    'up',
    'command',
    '--id',
    'never-ready',
    '--ready-file',
    marker,
    '--ready-timeout',
    String(readyMs),
  ];
  const { code, stderr } = await cli([
    ...args,
    '--stop-grace',
    '300',
    '--',
    process.execPath,
    join(FIXTURES, 'server.mjs'),
    'polite',
  ]);
  assert.equal(code, 1, stderr);
  assert.match(stderr, new RegExp(`did not start: server not ready after ${readyMs} ms \\(waiting for file`));
  assert.match(stderr, /server log .*\n[\s\S]*READY/, 'the server log tail is shown');
  assert.equal(existsSync(join(stateRoot(), 'never-ready')), false);
  assert.deepEqual(findInstanceProcesses(join(stateRoot(), 'never-ready')), []);
});

test('a command that does not exist: exit 1 naming it, nothing left', async () => {
  const { code, stderr } = await cli([
    'up',
    'command',
    '--id',
    'no-such',
    '--',
    '/nonexistent/qdw-server',
    '--flag',
  ]);
  assert.equal(code, 1);
  assert.match(stderr, /cannot start \/nonexistent\/qdw-server: spawn \/nonexistent\/qdw-server ENOENT/);
  assert.equal(existsSync(join(stateRoot(), 'no-such')), false);
});

test('the runner SIGKILLed before ready: the launcher stops the server and deletes the data dir', async (t) => {
  const dir = scratchDir(t);
  const dataDir = join(dir, 'data');
  const args = [
    'up',
    'command',
    '--id',
    'killed-early',
    '--data-dir',
    dataDir,
    '--ready-file',
    join(dir, 'never'),
  ];
  const child = spawn(
    process.execPath,
    [CLI, ...args, '--', process.execPath, join(FIXTURES, 'server.mjs'), 'immortal'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  t.after(() => killIfRunning(child.pid));
  const statusPath = join(stateRoot(), 'killed-early', 'status.json');
  const status = await waitFor('the server to be spawned', () => {
    const s = readStatusFile(statusPath);
    return s?.serverPid ? s : null;
  });
  t.after(() => killIfRunning(status.serverPid));
  process.kill(status.watcherPid as number, 'SIGKILL');
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 1);
  assert.match(stderr, /did not start: the watcher exited before the server was ready/);
  await waitGone(status.serverPid as number);
  assert.equal(existsSync(dataDir), false, 'the data dir is deleted by the launcher backstop');
  assert.deepEqual(
    readdirSync(stateRoot()).filter((d) => d === 'killed-early'),
    [],
  );
});
