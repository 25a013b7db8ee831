// `exec`: CMD gets the instance's environment, stdio and signals; its exit code (or 128+signal, 127) is exec's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { canSetDeathSignal } from '../../dist/state/process/death-signal.js';
import { runCli } from '../helpers/cli.js';
import { CLI, FIXTURES, requireOrSkip, scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';

const SERVER = `${process.execPath} ${join(FIXTURES, 'server.mjs')} polite`;
const serverArgs = ['exec', 'command', '--server', SERVER, '--ready-log', '^READY$', '--stop-grace', '500'];

test('exec passes the environment and CMD exit code, then tears the instance down', async (t) => {
  const out = join(scratchDir(t), 'env.json');
  const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env)); process.exit(7)`;
  const r = await runCli([...serverArgs, '--', process.execPath, '-e', script]);
  assert.equal(r.code, 7, r.stderr);
  const env = JSON.parse(readFileSync(out, 'utf8'));
  assert.match(env.QUICKDB_ID, /^command-[0-9a-f]{8}$/);
  assert.ok(env.QUICKDB_DATA_DIR);
  assert.equal(existsSync(env.QUICKDB_DATA_DIR), false, 'the data dir is gone after exec');
  assert.equal(existsSync(env.QUICKDB_STATE_DIR), false);
});

test('exec: CMD killed by a signal gives 128+N; a missing CMD 127, one not executable 126, each with a message', async (t) => {
  const killed = await runCli([...serverArgs, '--', 'sh', '-c', 'kill -TERM $$']);
  assert.equal(killed.code, 143);
  const missing = await runCli([...serverArgs, '--', '/nonexistent/cmd']);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /exec: command not found: \/nonexistent\/cmd/);
  const missingOnPath = await runCli([...serverArgs, '--', 'no-such-command-qdw']);
  assert.equal(missingOnPath.code, 127);
  assert.match(missingOnPath.stderr, /exec: command not found: no-such-command-qdw/);
  const plain = join(scratchDir(t), 'plain.sh');
  writeFileSync(plain, 'echo hi\n', { mode: 0o644 });
  const denied = await runCli([...serverArgs, '--', plain]);
  assert.equal(denied.code, 126);
  assert.match(denied.stderr, /exec: permission denied: .*plain\.sh \(is it executable\?\)/);
});

test('exec forwards SIGINT to CMD and exits with its code', async (t) => {
  const dir = scratchDir(t);
  const ready = join(dir, 'cmd-ready');
  const script = `process.on('SIGINT', () => process.exit(42)); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000)`;
  const child = spawn(process.execPath, [CLI, ...serverArgs, '--', process.execPath, '-e', script], {
    stdio: 'ignore',
  });
  t.after(() => killIfRunning(child.pid));
  await waitFor('CMD to start', () => existsSync(ready));
  child.kill('SIGINT');
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 42);
});

test('exec SIGKILLed: the lifeline closes, the watcher still cleans up, and CMD gets SIGTERM (setpriv --pdeathsig)', async (t) => {
  const dir = scratchDir(t);
  const info = join(dir, 'info');
  const script = `require('fs').writeFileSync(${JSON.stringify(info)}, process.pid + ' ' + process.env.QUICKDB_STATE_DIR); setInterval(() => {}, 1000)`;
  const child = spawn(process.execPath, [CLI, ...serverArgs, '--', process.execPath, '-e', script], {
    stdio: 'ignore',
  });
  t.after(() => killIfRunning(child.pid));
  const [cmdPid, stateDir] = (
    await waitFor('CMD to start', () => (existsSync(info) ? readFileSync(info, 'utf8') : null))
  ).split(' ');
  t.after(() => killIfRunning(Number(cmdPid)));
  assert.ok(stateDir);
  const status = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
  const dataDir = join(stateDir, 'data');
  child.kill('SIGKILL');
  await waitGone(status.serverPid);
  await waitFor('the state dir to go', () => !existsSync(stateDir));
  assert.equal(existsSync(dataDir), false);
  if (
    !requireOrSkip(t, canSetDeathSignal(), 'setpriv --pdeathsig (util-linux 2.33+) for CMD to die with exec')
  )
    return;
  assert.ok(await waitGone(Number(cmdPid)), 'CMD went with exec (parent-death signal)');
});
