// The systemd system manager backend: refused without root, and a clear failure where PID 1 is not systemd.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir, stateRoot } from '../helpers/env.js';

const bootedWithSystemd = existsSync('/run/systemd/system');

test('--backend systemd-system as a normal user: exit 2, says it needs root', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to drop to nobody');
  const state = join(scratchDir(t), 'state');
  // --parent none: this test process (root, and no shell) could not be `up`'s default parent for nobody.
  const r = spawnSync(
    process.execPath,
    [CLI, 'up', 'command', '--backend', 'systemd-system', '--parent', 'none', '--', 'sleep', '1'],
    {
      uid: 65534,
      gid: 65534,
      env: { ...process.env, QUICKDB_WATCHER_STATE: state },
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--backend: "systemd-system" is not valid: the system manager needs root/);
  assert.equal(existsSync(state), false, 'nothing was created');
});

test("--backend systemd-system without a system manager: exit 1 with systemd-run's reason, nothing left", async (t) => {
  if (bootedWithSystemd)
    return t.skip('this machine runs systemd as PID 1; not touching its system manager in tests');
  const r = await runCli([
    'up',
    'command',
    '--id',
    'sys-scope',
    '--backend',
    'systemd-system',
    '--',
    'sleep',
    '100',
  ]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /systemd-run could not start quickdb-sys-scope\.service: .*(not been booted with systemd|Failed to connect)/,
  );
  assert.equal(existsSync(join(stateRoot(), 'sys-scope')), false);
});
