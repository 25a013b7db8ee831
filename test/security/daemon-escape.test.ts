// A server that leaves a daemon behind with setsid and a cleared environment (escaping the process group and the
// instance tag) is still killed on the detached backend, by the instance's cgroup: on stop, and by gc after the
// watcher itself was SIGKILLed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { findOwnCgroup, nameInstanceCgroup } from '../../dist/state/process/cgroup.js';
import { probeCgroup } from '../helpers/cgroup.js';
import { runCli } from '../helpers/cli.js';
import { requireOrSkip, scratchDir, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning } from '../helpers/proc.js';

const { available, what } = await probeCgroup();

// Start a `command` instance whose server leaves a daemon (setsid, env -i) and writes its pid; returns both.
async function startEscaper(t: TestContext, id: string): Promise<{ daemon: number; watcher: number }> {
  const dir = scratchDir(t, 'escape-');
  const pidFile = join(dir, 'daemon.pid');
  const script = `setsid env -i sh -c 'sleep 600 & echo $! > ${pidFile}'; exec sleep 600`;
  t.after(() => {
    try {
      killIfRunning(Number(readFileSync(pidFile, 'utf8')));
    } catch {}
  });
  const up = await runCli(
    ['up', 'command', '--id', id, '--parent', 'none', '--backend', 'detached', '--format', 'json'].concat([
      '--',
      'sh',
      '-c',
      script,
    ]),
  );
  assert.equal(up.code, 0, up.stderr);
  t.after(() => runCli(['stop', id]));
  const daemon = await waitFor('the daemon pid', () => {
    try {
      return Number(readFileSync(pidFile, 'utf8')) || null;
    } catch {
      return null;
    }
  });
  assert.ok(isRunning(daemon));
  assert.doesNotMatch(
    readFileSync(`/proc/${daemon}/environ`, 'latin1'),
    /QUICKDB/,
    'the daemon dropped the tag',
  );
  return { daemon, watcher: JSON.parse(up.stdout).watcherPid };
}

test('stop kills a daemon that left with setsid and a cleared environment', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `escape-stop-${process.pid}`;
  const { daemon } = await startEscaper(t, id);
  const stop = await runCli(['stop', id]);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon), 20_000);
  const home = findOwnCgroup();
  assert.ok(home);
  await waitFor('the cgroup removed', () => {
    try {
      readFileSync(join(home, nameInstanceCgroup({ id, stateDir: join(stateRoot(), id) }), 'cgroup.procs'));
      return false;
    } catch {
      return true;
    }
  });
});

test('gc kills the daemon after the watcher itself was SIGKILLed', async (t) => {
  if (!requireOrSkip(t, available, what)) return;
  const id = `escape-gc-${process.pid}`;
  const { daemon, watcher } = await startEscaper(t, id);
  process.kill(watcher, 'SIGKILL');
  await waitFor(`watcher ${watcher} not running`, () => !isRunning(watcher));
  const gc = await runCli(['gc']);
  assert.equal(gc.code, 0, gc.stderr);
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon), 20_000);
  assert.deepEqual(
    (await runCli(['list', '--json'])).stdout.includes(id),
    false,
    `gc finished ${id} in ${stateRoot()}`,
  );
});
