// The CLI through systemd: `up --backend systemd`, then `quiet`, `stop` and `kill` by id; auto falls back with a reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { CLI, FIXTURES, scratchDir, stateRoot } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { scaleDeadline } from '../helpers/load.js';
import { waitGone } from '../helpers/proc.js';
import { listQuickdbUnits, showUnit, useUserManager } from '../helpers/systemd.js';

const need = useUserManager();

// Run the CLI with the manager's XDG_RUNTIME_DIR and the test state root.
function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...env, QUICKDB_WATCHER_STATE: stateRoot() },
    encoding: 'utf8',
    timeout: scaleDeadline(60_000),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixtureArgs(t: TestContext, mode = 'polite'): string[] {
  const trace = join(scratchDir(t, 'trace-'), 'trace.log');
  return [
    '--ready-log',
    '^READY$',
    '--stop-grace',
    '400',
    '--fast-grace',
    '400',
    '--fast-stop-signal',
    'SIGQUIT',
    '--',
    process.execPath,
    join(FIXTURES, 'server.mjs'),
    mode,
    '--trace',
    trace,
  ];
}

// `up command --backend systemd --parent none --format json` with a fixture server; the printed instance.
function upThroughSystemd(t: TestContext, env: NodeJS.ProcessEnv, mode = 'polite') {
  const up = cli(
    env,
    'up',
    'command',
    '--backend',
    'systemd',
    '--parent',
    'none',
    '--format',
    'json',
    ...fixtureArgs(t, mode),
  );
  assert.equal(up.code, 0, up.stderr);
  const info = JSON.parse(up.stdout);
  registerCleanup(t, () => info);
  return info;
}

test('cli: up --backend systemd prints the unit; quiet and stop work by id', async (t) => {
  const m = need(t);
  if (!m) return;
  const info = upThroughSystemd(t, m.env);
  assert.equal(info.backend, 'systemd');
  assert.equal(info.unit, `quickdb-${info.id}.service`);
  assert.equal(showUnit(m, info.unit, ['ActiveState']).ActiveState, 'active');
  const status = cli(m.env, 'status', info.id);
  assert.match(status.stdout, new RegExp(`^unit\\s+${info.unit}: active \\(running\\)$`, 'm'));
  assert.match(status.stdout, /^backend\s+systemd$/m);
  const quiet = cli(m.env, 'quiet', info.id);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /errors are no longer reported/);
  const stop = cli(m.env, 'stop', info.id);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`${info.id}: stopped; data dir deleted`));
  await waitGone(info.serverPid);
  assert.equal(existsSync(info.dataDir), false);
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('cli: kill through systemd eliminates a stubborn server', async (t) => {
  const m = need(t);
  if (!m) return;
  const info = upThroughSystemd(t, m.env, 'stubborn');
  const kill = cli(m.env, 'kill', info.id);
  assert.equal(kill.code, 0, kill.stderr);
  assert.match(kill.stdout, /eliminated; data dir deleted/);
  await waitGone(info.serverPid);
  assert.deepEqual(listQuickdbUnits(m), []);
});

test('cli: auto without a reachable user manager chooses detached and says why', async (t) => {
  const empty = scratchDir(t, 'no-manager-');
  const env = { ...process.env, XDG_RUNTIME_DIR: empty };
  const up = cli(env, 'up', 'command', '--parent', 'none', ...fixtureArgs(t));
  assert.equal(up.code, 0, up.stderr);
  assert.match(
    up.stdout,
    /backend {5}detached \(auto: no systemd user manager reachable \(.+\), so detached\)/,
  );
  const id = /quickdb-watcher: (\S+) is ready/.exec(up.stdout)?.[1] as string;
  registerCleanup(t, () => ({ stateDir: join(stateRoot(), id) }));
  assert.equal(cli(env, 'stop', id).code, 0);
});
