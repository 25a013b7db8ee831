// Startup races: SIGUSR1 pending across exec, SIGUSR1 at any early moment, and never an open inspector port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTrace, startFixture } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning, listeningPorts, waitGone } from '../helpers/proc.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

const BLOCK_AND_EXEC =
  'import os,signal,sys; signal.pthread_sigmask(signal.SIG_BLOCK,[signal.SIGUSR1]); os.kill(os.getpid(), signal.SIGUSR1); os.execv(sys.argv[1], sys.argv[1:])';

function exePath(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

// Run the runner, sampling its listening ports until it exits; returns its exit code, stderr and late ports: those
// open after the runner said it is stopping on SIGUSR1. An inspector opened by an early SIGUSR1 is closed by the
// guard before the runner learns of the signal (and a SIGUSR1 that reaches the runner's handler opens none), so
// once "SIGUSR1: stopping" is on stderr no port may be open: an order of events, not a wall-clock bound.
async function runAndWatchPorts(argv: string[], signalAfterMs: number | null) {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (signalAfterMs !== null) {
    // Before exec the child is not node yet and SIGUSR1 would take its default action: that window belongs
    // to the launcher's readiness handshake (see the README), so start the clock once node runs.
    await waitFor(
      'the runner to exec node',
      () => child.pid && exePath(child.pid) === realpathSync(process.execPath),
      5000,
      1,
    );
    await sleep(signalAfterMs);
    child.kill('SIGUSR1');
  }
  const late: number[] = [];
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    const stopping = /SIGUSR1: stopping/.test(stderr);
    const ports = child.pid ? listeningPorts(child.pid) : [];
    if (ports.length && stopping) late.push(...ports);
    await sleep(5);
  }
  return { ...(await exited), stderr, late };
}

test('SIGUSR1 pending across exec: the inspector is closed, the server never starts, everything is cleaned', async (t) => {
  const { spec, path, trace } = writeSpec(t);
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const argv = ['python3', '-c', BLOCK_AND_EXEC, process.execPath, ...RUNNER_ARGV, path];
  const { code, stderr, late } = await runAndWatchPorts(argv, null);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /SIGUSR1: stopping/);
  assert.match(stderr, /before the server started; it will not be started/);
  assert.deepEqual(readTrace(trace), [], 'the server was never started');
  assert.equal(existsSync(spec.dataDir), false);
  assert.deepEqual(late, [], 'no port stays open');
});

test('SIGUSR1 at early moments: a fast eliminate, or (before node has any handler) death with nothing started; never a port', async (t) => {
  const delays = [0, 1, 2, 3, 5, 8, 12, 20, 35, 50, 80, 120, 200, 300];
  const outcomes: string[] = [];
  for (const delay of delays) {
    const { spec, path, trace } = writeSpec(t);
    t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
    const { code, signal, stderr, late } = await runAndWatchPorts(
      [process.execPath, ...RUNNER_ARGV, path],
      delay,
    );
    const lines = readTrace(trace);
    assert.deepEqual(late, [], `delay ${delay}: no inspector port open`);
    if (code === null) {
      // Node's own first instants, before any handler: the default action. Nothing was started.
      assert.equal(signal, 'SIGUSR1', `delay ${delay}`);
      assert.equal(stderr, '', `delay ${delay}: died before any JS ran`);
      assert.deepEqual(lines, [], `delay ${delay}: no server started`);
      outcomes.push(`${delay}ms:pre-node`);
      continue;
    }
    outcomes.push(
      `${delay}ms:${lines.includes('started polite') ? 'server-started' : 'server-never-started'}`,
    );
    assert.equal(code, 0, `delay ${delay} ms: ${stderr}`);
    assert.match(stderr, /SIGUSR1: stopping/, `delay ${delay} ms`);
    assert.ok(
      !lines.some((l) => l.startsWith('got SIGTERM')),
      `delay ${delay}: no graceful SIGTERM on a fast eliminate`,
    );
    assert.equal(existsSync(spec.dataDir), false, `delay ${delay}: data dir deleted`);
  }
  t.diagnostic(`outcomes: ${outcomes.join(' ')}`);
});

test('SIGUSR1 to a running watcher never opens a debugger port, even while it waits on a stubborn server', async (t) => {
  const { info } = await startFixture(t, { mode: 'immortal', options: { fastGraceMs: 1000 } });
  process.kill(info.watcherPid, 'SIGUSR1');
  const seen = new Set<number>();
  while (isRunning(info.watcherPid)) {
    for (const port of listeningPorts(info.watcherPid)) seen.add(port);
    await sleep(5);
  }
  await waitGone(info.serverPid as number);
  assert.deepEqual([...seen], []);
  assert.equal(existsSync(info.dataDir), false);
});

test('a watcher whose start is cut short by SIGTERM after ready still cleans up', async (t) => {
  const { spec, path } = writeSpec(t);
  const child = spawn(process.execPath, [...RUNNER_ARGV, path], { stdio: 'ignore' });
  t.after(() => killIfRunning(child.pid));
  await waitFor('ready', () => existsSync(`${spec.dataDir}/ready`));
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 0);
  assert.equal(existsSync(spec.stateDir), false);
});
