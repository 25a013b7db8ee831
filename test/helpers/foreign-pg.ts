// A PostgreSQL that is not the suite's: started by hand outside the sandbox (its dir, env and cwd name no sandbox
// path), as another suite or user on the machine would run one; removed after the test with its segment.
import { execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import { chooseServiceUser } from '../../dist/drivers/service-user.js';
import { waitFor } from './poll.js';
import { killIfRunning, waitGone } from './proc.js';
import { type PgSegmentRecord, readPostmasterPid, removeSegment, waitDetached } from './sysv.js';

const run = promisify(execFile);

export interface ForeignPostgres extends PgSegmentRecord {
  dir: string;
  /** SIGKILL the postmaster and wait until its children are gone: its segment is then an orphan. */
  orphan(): Promise<void>;
}

// Start a bare postgres in a fresh dir under `parent` (outside the sandbox unless told), ready when its segment is.
export async function startForeignPostgres(t: TestContext, parent = '/tmp'): Promise<ForeignPostgres> {
  const bins = findPgBinaries(undefined);
  const user = chooseServiceUser('PostgreSQL', ['postgres', 'nobody']);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const dir = mkdtempSync(join(parent, 'qdw-foreign-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const pgdata = join(dir, 'pgdata');
  // A clean environment and cwd: nothing in it names the suite's sandbox.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
  await run(bins.initdb, ['-D', pgdata, '--auth=trust', '--no-sync', '-U', 'postgres'], {
    env,
    cwd: dir,
    ...ids,
  });
  // Its dynamic shared memory in its own dir (not /dev/shm, where a SIGKILL would leave it), so the test leaves nothing.
  const settings = ['listen_addresses=', 'fsync=off', 'dynamic_shared_memory_type=mmap'];
  const args = ['-D', pgdata, '-k', dir, ...settings.flatMap((s) => ['-c', s])];
  const child = spawn(bins.postgres, args, { env, cwd: dir, stdio: 'ignore', ...ids });
  const pid = child.pid as number;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // One teardown, in order: the server, then its segment (if still the one it made), then its dir.
  let shmid = -1;
  t.after(async () => {
    killIfRunning(pid);
    await waitFor('the foreign postgres to exit', () => exited, 20_000);
    removeSegment({ shmid, cpid: pid });
    rmSync(dir, { recursive: true, force: true });
  });
  const record = await waitFor(
    'the foreign postgres to record its segment',
    () => {
      if (exited) throw new Error('the foreign postgres exited at start');
      try {
        const r = readPostmasterPid(pgdata);
        return r.pid === pid && r.shmid > 0 ? r : null;
      } catch {
        return null;
      }
    },
    30_000,
  );
  shmid = record.shmid;
  const orphan = async (): Promise<void> => {
    child.kill('SIGKILL');
    await waitGone(pid);
    await waitDetached(record.shmid);
  };
  return { ...record, dir, orphan };
}
