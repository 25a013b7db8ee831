// systemd's backstop and PostgreSQL's SysV segment: a SIGKILLed watcher has its cgroup SIGKILLed by systemd
// (postmaster included, which leaks its segment), and the post-stop step removes that segment with the data dir.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requirePostgres, startLib } from '../drivers/db.js';
import { waitFor } from '../helpers/poll.js';
import { waitNotRunning } from '../helpers/proc.js';
import { listQuickdbUnits, useUserManager } from '../helpers/systemd.js';
import { findShm, readPostmasterPid, removeSegmentAfter } from '../helpers/sysv.js';

const need = useUserManager({ exportEnv: true });

test('systemd: a SIGKILLed watcher’s postmaster is SIGKILLed too; ExecStopPost removes its SysV segment', async (t) => {
  const m = need(t);
  if (!m || !requirePostgres(t)) return;
  t.after(() => {
    for (const unit of listQuickdbUnits(m))
      execFileSync('systemctl', ['--user', 'stop', unit], { env: m.env });
  });
  const instance = await startLib(t, 'postgresql', { backend: 'systemd' });
  assert.equal(instance.info.backend, 'systemd');
  const segment = readPostmasterPid(join(instance.dataDir, 'pgdata'));
  assert.equal(segment.pid, instance.info.serverPid);
  removeSegmentAfter(t, { shmid: segment.shmid, cpid: segment.pid });
  process.kill(instance.watcherPid, 'SIGKILL');
  await waitNotRunning(segment.pid);
  await waitFor('the unit to be collected', () => listQuickdbUnits(m).length === 0, 30_000);
  assert.equal(existsSync(instance.dataDir), false, 'post-stop deleted the data dir');
  assert.equal(findShm(segment.shmid), null, `segment ${segment.shmid} (key ${segment.key}) is removed`);
});
