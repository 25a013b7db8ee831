// The systemd backend against a real private user manager: up/stop/kill/quiet, parent and runner deaths, failures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { startServer } from '../../dist/index.js';
import { cgroupOf } from '../helpers/cgroup.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, scratchDir, stateRoot } from '../helpers/env.js';
import { fixtureOptions, readTrace, registerCleanup, spawnParent } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { isGone, isRunning, killIfRunning, readPidFile, waitGone, waitNotRunning } from '../helpers/proc.js';
import { listQuickdbUnits, showUnit, type UserManager, useUserManager } from '../helpers/systemd.js';

const need = useUserManager({ exportEnv: true });

// Stop whatever unit a failed test left, so the next test starts clean.
function stopUnitsAfter(t: TestContext, m: UserManager): void {
  t.after(() => {
    for (const unit of listQuickdbUnits(m)) {
      execFileSync('systemctl', ['--user', 'stop', unit], { env: m.env });
      execFileSync('systemctl', ['--user', 'reset-failed', unit], { env: m.env, stdio: 'ignore' });
    }
  });
}

test('systemd: up runs the watcher as a transient unit; stop removes server, dirs and unit', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options, trace } = fixtureOptions(t, { options: { backend: 'systemd' } });
  const started = Date.now();
  const instance = await startServer(options);
  const readyMs = Date.now() - started;
  registerCleanup(t, () => instance.info);
  t.diagnostic(`launcher call -> ready through systemd: ${readyMs} ms`);
  const { info } = instance;
  assert.equal(info.backend, 'systemd');
  assert.equal(info.unit, `quickdb-${info.id}.service`);
  const shown = showUnit(m, info.unit as string, [
    'ActiveState',
    'MainPID',
    'KillMode',
    'Type',
    'TimeoutStopUSec',
  ]);
  assert.equal(shown.ActiveState, 'active');
  assert.equal(Number(shown.MainPID), info.watcherPid);
  assert.equal(shown.KillMode, 'mixed');
  assert.equal(shown.Type, 'exec');
  assert.equal(shown.TimeoutStopUSec, '15.800000s'); // the stop budget: 400 + 400 ms ladder + 15 s slack
  assert.ok(info.serverPid && isRunning(info.serverPid));
  const result = await instance.stop();
  assert.equal(result.ok, true);
  await waitGone(info.serverPid);
  assert.ok(readTrace(trace).includes('got SIGTERM, exiting'));
  assert.equal(existsSync(info.dataDir), false);
  assert.equal(existsSync(info.stateDir), false);
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('systemd: kill eliminates fast and quiet is acknowledged', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options, trace } = fixtureOptions(t, { mode: 'immortal', options: { backend: 'systemd' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  await instance.quiet();
  const status = JSON.parse(readFileSync(`${instance.info.stateDir}/status.json`, 'utf8'));
  assert.equal(status.quiet, true);
  const result = await instance.eliminate();
  assert.equal(result.ok, true);
  await waitGone(instance.info.serverPid as number);
  assert.ok(readTrace(trace).includes('got SIGQUIT, ignoring it'));
  assert.equal(existsSync(instance.info.dataDir), false);
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('systemd: parent SIGKILL stops the server, deletes the data dir and leaves no unit', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options } = fixtureOptions(t, {
    options: { backend: 'systemd', parent: 'self' as unknown as number },
  });
  const parent = await spawnParent(t, options);
  assert.equal(parent.info.backend, 'systemd');
  process.kill(parent.info.parentPid, 'SIGKILL');
  await waitGone(parent.info.serverPid as number);
  await waitFor('the data dir to be deleted', () => !existsSync(parent.info.dataDir));
  await waitFor('the unit to be collected', () => listQuickdbUnits(m).length === 0);
  assert.equal(existsSync(parent.info.stateDir), false);
});

test('systemd: a SIGKILLed runner has its cgroup killed and ExecStopPost deletes the data dir', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options } = fixtureOptions(t, { mode: 'immortal', child: true, options: { backend: 'systemd' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  const { info } = instance;
  const childPid = Number(
    await waitFor(
      'the fixture child pid',
      () => existsSync(`${info.dataDir}/child.pid`) && readFileSync(`${info.dataDir}/child.pid`, 'utf8'),
    ),
  );
  process.kill(info.watcherPid, 'SIGKILL');
  await waitNotRunning(info.serverPid as number);
  await waitNotRunning(childPid);
  await waitFor('ExecStopPost to delete the data dir', () => !existsSync(info.dataDir));
  await waitFor('the unit to be collected', () => listQuickdbUnits(m).length === 0);
  assert.equal(existsSync(info.stateDir), false, 'post-stop finished cleanly and removed the state dir');
});

test('systemd: a daemon that moved into a child cgroup of the unit dies with the unit; status names the unit', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const pidFile = join(scratchDir(t, 'unit-escape-'), 'daemon.pid');
  const args = ['sh', join(FIXTURES, 'cgroup-escaper.sh'), pidFile];
  const instance = await startServer({ driver: 'command', args, backend: 'systemd', stateRoot: stateRoot() });
  registerCleanup(t, () => instance.info);
  const daemon = await waitFor('the daemon pid', () => readPidFile(pidFile));
  t.after(() => killIfRunning(daemon));
  assert.match(
    cgroupOf(daemon) ?? '',
    new RegExp(`/${instance.info.unit}/evil$`),
    'the daemon left for a child cgroup',
  );
  const shown = await runCli(['status', instance.info.id, '--json']);
  assert.deepEqual(JSON.parse(shown.stdout).containment, { available: true, unit: instance.info.unit });
  assert.equal((await instance.stop()).ok, true);
  await waitFor(`daemon ${daemon} gone`, () => isGone(daemon));
  await waitFor('the unit to be collected', () => listQuickdbUnits(m).length === 0);
});

test('systemd: a runner whose server fails leaves no unit behind and says why', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options } = fixtureOptions(t, {
    options: {
      backend: 'systemd',
      args: [process.execPath, '-e', 'console.log("boom: no config"); process.exit(3)'],
      id: 'systemd-fails',
    },
  });
  await assert.rejects(startServer(options), (error: Error & { details?: string }) => {
    assert.match(error.message, /systemd-fails did not start: .*exited on its own with code 3/);
    assert.match(error.details ?? '', /boom: no config/);
    return true;
  });
  assert.deepEqual(listQuickdbUnits(m), []);
  assert.equal(existsSync(`${options.stateRoot}/systemd-fails`), false);
});

test('systemd: auto chooses systemd when a user manager answers, and says so', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options } = fixtureOptions(t, { options: { backend: 'auto' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  assert.equal(instance.info.backend, 'systemd');
  assert.match(instance.backendReason, /^auto: systemd user manager \d+.* reachable$/);
  await instance.stop();
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('systemd: a runner SIGKILLed while removing its state dir: ExecStopPost (given a fresh runner.log) finishes it', async (t) => {
  const m = need(t);
  if (!m) return;
  stopUnitsAfter(t, m);
  const { options } = fixtureOptions(t, { options: { backend: 'systemd' } });
  const instance = await startServer(options);
  registerCleanup(t, () => instance.info);
  const { info } = instance;
  // Freeze the runner at the moment it has deleted the data dir and every state file, but not yet the dir itself.
  process.kill(info.watcherPid, 'SIGSTOP');
  process.kill(info.serverPid as number, 'SIGKILL');
  await waitNotRunning(info.serverPid as number);
  rmSync(info.dataDir, { recursive: true });
  for (const entry of readdirSync(info.stateDir)) rmSync(join(info.stateDir, entry), { recursive: true });
  process.kill(info.watcherPid, 'SIGKILL');
  await waitFor('the unit to be collected', () => listQuickdbUnits(m).length === 0);
  await waitFor('post-stop to remove the state dir', () => !existsSync(info.stateDir));
});
