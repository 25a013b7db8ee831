// A SIGKILLed postmaster leaves its small SysV segment (key and id in postmaster.pid): whoever finishes the instance
// (gc here, the watcher itself) removes it, and only it: another PostgreSQL's orphaned segment is never touched.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { Instance } from '../../dist/index.js';
import { collectGarbage } from '../../dist/manage/gc.js';
import { requirePostgres, runCli, startLib } from '../drivers/db.js';
import { scratchDir } from '../helpers/env.js';
import { type ForeignPostgres, startForeignPostgres } from '../helpers/foreign-pg.js';
import { waitFor } from '../helpers/poll.js';
import { waitGone, waitNotRunning } from '../helpers/proc.js';
import {
  findShm,
  type PgSegmentRecord,
  readPostmasterPid,
  removeSegmentAfter,
  waitDetached,
} from '../helpers/sysv.js';

// A private state root (gc must see only this test's instances), reachable by the server's own user when root.
function privateStateRoot(t: TestContext): string {
  const dir = scratchDir(t, 'shm-');
  chmodSync(dir, 0o711);
  return join(dir, 'state');
}

interface Started {
  instance: Instance;
  segment: PgSegmentRecord;
  pgdata: string;
  stateRoot: string;
}

// A detached PostgreSQL instance and the segment its postmaster recorded (removed after the test if still there).
async function startPg(t: TestContext): Promise<Started> {
  const stateRoot = privateStateRoot(t);
  const instance = await startLib(t, 'postgresql', { backend: 'detached', stateRoot });
  const pgdata = join(instance.dataDir, 'pgdata');
  const segment = readPostmasterPid(pgdata);
  assert.equal(segment.pid, instance.info.serverPid, 'postmaster.pid names our server');
  assert.ok(findShm(segment.shmid), 'the segment is there while the server runs');
  removeSegmentAfter(t, { shmid: segment.shmid, cpid: segment.pid });
  return { instance, segment, pgdata, stateRoot };
}

// SIGKILL the server (and first the watcher, when asked) and wait until its segment is an orphan.
async function killServer(instance: Instance, segment: PgSegmentRecord, watcherToo: boolean): Promise<void> {
  if (watcherToo) {
    process.kill(instance.watcherPid, 'SIGKILL');
    await waitGone(instance.watcherPid);
  }
  process.kill(segment.pid, 'SIGKILL');
  await waitNotRunning(segment.pid);
  await waitDetached(segment.shmid);
}

// A foreign PostgreSQL's orphaned segment beside ours: what must never be touched.
async function orphanForeign(t: TestContext): Promise<ForeignPostgres> {
  const foreign = await startForeignPostgres(t);
  await foreign.orphan();
  return foreign;
}

const runnerLog = (instance: Instance): string =>
  readFileSync(join(instance.info.stateDir, 'runner.log'), 'utf8');

test('gc after the watcher and the postmaster were SIGKILLed removes the server’s SysV segment, and no other', async (t) => {
  if (!requirePostgres(t)) return;
  const foreign = await orphanForeign(t);
  const { instance, segment, stateRoot } = await startPg(t);
  await killServer(instance, segment, true);
  assert.ok(findShm(segment.shmid), 'the SIGKILLed postmaster left its segment');
  const actions = await collectGarbage(stateRoot);
  assert.equal(actions.find((a) => a.id === instance.id)?.action, 'recovered');
  assert.equal(existsSync(instance.dataDir), false, 'the data dir is deleted');
  assert.equal(findShm(segment.shmid), null, `segment ${segment.shmid} (key ${segment.key}) is removed`);
  assert.equal(findShm(foreign.shmid)?.cpid, foreign.pid, 'the foreign orphaned segment is untouched');
});

test('the watcher, its server SIGKILLed, removes the segment when the instance ends (keep: data stays)', async (t) => {
  if (!requirePostgres(t)) return;
  const { instance, segment, pgdata } = await startPg(t);
  await killServer(instance, segment, false);
  await waitFor('the watcher to see its server exit', () =>
    /exited on its own by SIGKILL/.test(runnerLog(instance)),
  );
  assert.ok(findShm(segment.shmid), 'the SIGKILLed postmaster left its segment');
  await instance.stop({ keep: true });
  assert.equal(findShm(segment.shmid), null, `segment ${segment.shmid} is removed though the data is kept`);
  assert.ok(existsSync(join(pgdata, 'PG_VERSION')), 'the cluster is kept');
  assert.match(runnerLog(instance), new RegExp(`removed SysV shared memory segment ${segment.shmid} `));
});

test('a forged postmaster.pid naming another PostgreSQL’s segment is refused: that segment stays', async (t) => {
  if (!requirePostgres(t)) return;
  const foreign = await orphanForeign(t);
  const { instance, segment, pgdata, stateRoot } = await startPg(t);
  await killServer(instance, segment, true);
  // The server's own user can write postmaster.pid: point its key and id at the foreign segment.
  const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
  lines[6] = `${String(foreign.key).padStart(9)} ${String(foreign.shmid).padStart(9)}`;
  writeFileSync(join(pgdata, 'postmaster.pid'), lines.join('\n'));
  await collectGarbage(stateRoot);
  assert.equal(existsSync(instance.dataDir), false, 'the data dir is still deleted');
  assert.equal(findShm(foreign.shmid)?.cpid, foreign.pid, 'the foreign segment is untouched');
  assert.ok(
    findShm(segment.shmid),
    'our own segment, no longer named by the record, is left (removed after the test)',
  );
});

test('a fifo planted as postmaster.pid does not hang the cleanup: gc finishes, the segment is left', async (t) => {
  if (!requirePostgres(t)) return;
  const { instance, segment, pgdata, stateRoot } = await startPg(t);
  await killServer(instance, segment, true);
  // The server's own user can replace its record with a fifo, which a plain open would wait on forever.
  rmSync(join(pgdata, 'postmaster.pid'));
  execFileSync('mkfifo', [join(pgdata, 'postmaster.pid')]);
  const gc = await runCli(['gc'], { QUICKDB_WATCHER_STATE: stateRoot });
  assert.equal(gc.code, 0, gc.stderr);
  assert.equal(existsSync(instance.dataDir), false, 'the data dir is deleted');
  assert.ok(findShm(segment.shmid), 'the segment is left: no record named it (removed after the test)');
});
