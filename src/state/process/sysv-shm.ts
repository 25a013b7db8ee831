// SysV shared memory segments as Linux lists them (/proc/sysvipc/shm), and the removal of one by its id.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One segment: its key and id, creator pid, processes attached, owner and creator uids. */
export interface ShmSegment {
  key: number;
  shmid: number;
  cpid: number;
  nattch: number;
  uid: number;
  cuid: number;
}

const COLUMNS = ['key', 'shmid', 'cpid', 'nattch', 'uid', 'cuid'] as const;

/** Where tools live when PATH (systemd's for a post-stop step, say) lacks them. */
const TOOL_DIRS = '/usr/bin:/bin:/usr/sbin:/sbin';

// The segment with id `shmid` now, or null when there is none (or no /proc/sysvipc, as off Linux).
export function readShmSegment(shmid: number): ShmSegment | null {
  let lines: string[];
  try {
    lines = readFileSync('/proc/sysvipc/shm', 'utf8').split('\n');
  } catch {
    return null;
  }
  // Columns by their header names, so a kernel that adds or moves one is still read right.
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const at = COLUMNS.map((name) => header.indexOf(name));
  if (at.some((i) => i < 0)) return null;
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/);
    const values = at.map((i) => Number(cols[i]));
    if (values[1] !== shmid || !values.every(Number.isSafeInteger)) continue;
    const [key, , cpid, nattch, uid, cuid] = values as number[];
    return { key, shmid, cpid, nattch, uid, cuid } as ShmSegment;
  }
  return null;
}

// Remove the segment with id `shmid` (ipcrm -m); null when done, else why not.
export function removeShmSegment(shmid: number): string | null {
  const result = spawnSync('ipcrm', ['-m', String(shmid)], {
    encoding: 'utf8',
    env: { PATH: `${process.env.PATH ?? ''}:${TOOL_DIRS}`, LC_ALL: 'C' },
    timeout: 10_000,
  });
  if (result.error) return `ipcrm could not run: ${result.error.message}`;
  if (result.status !== 0)
    return `ipcrm -m ${shmid} failed: ${result.stderr.trim() || `exit ${result.status}`}`;
  return null;
}
