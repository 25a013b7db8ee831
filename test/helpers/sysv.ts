// SysV shared memory as a user sees it (/proc/sysvipc/shm), and PostgreSQL's record of its segment (postmaster.pid).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { waitFor } from './poll.js';

export interface ShmRow {
  key: number;
  shmid: number;
  cpid: number;
  lpid: number;
  nattch: number;
  uid: number;
}

// Every SysV shared memory segment on the machine now.
function readShmRows(): ShmRow[] {
  return readFileSync('/proc/sysvipc/shm', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((cols) => cols.length >= 8 && cols.every(Number.isFinite))
    .map(([key, shmid, , , cpid, lpid, nattch, uid]) => ({
      key: key as number,
      shmid: shmid as number,
      cpid: cpid as number,
      lpid: lpid as number,
      nattch: nattch as number,
      uid: uid as number,
    }));
}

// The segment with this id, or null when it is gone.
export function findShm(shmid: number): ShmRow | null {
  return readShmRows().find((row) => row.shmid === shmid) ?? null;
}

/** What postmaster.pid says: the postmaster's pid (line 1) and its segment's key and id (line 7). */
export interface PgSegmentRecord {
  pid: number;
  key: number;
  shmid: number;
}

// Read a cluster's postmaster.pid (pgdata is the cluster dir).
export function readPostmasterPid(pgdata: string): PgSegmentRecord {
  const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
  const [key, shmid] = (lines[6] ?? '').trim().split(/\s+/).map(Number);
  return { pid: Number(lines[0]), key: key as number, shmid: shmid as number };
}

// Wait until every process attached to the segment is gone (PostgreSQL's children exit when their postmaster dies).
export function waitDetached(shmid: number, timeoutMs = 20_000): Promise<ShmRow> {
  return waitFor(
    `segment ${shmid} to have no process attached`,
    () => {
      const row = findShm(shmid);
      if (!row) throw new Error(`segment ${shmid} vanished while waiting for it to be orphaned`);
      return row.nattch === 0 ? row : null;
    },
    timeoutMs,
  );
}

// Remove the segment if it is still there and still the one the test saw (same id and creator).
export function removeSegment(segment: { shmid: number; cpid: number }): void {
  if (findShm(segment.shmid)?.cpid === segment.cpid)
    spawnSync('ipcrm', ['-m', String(segment.shmid)], { stdio: 'ignore' });
}

// After the test, remove the segment (see removeSegment).
export function removeSegmentAfter(t: TestContext, segment: { shmid: number; cpid: number }): void {
  t.after(() => removeSegment(segment));
}
