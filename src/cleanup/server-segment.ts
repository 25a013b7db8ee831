// The SysV shared memory segment a killed server left behind (PostgreSQL's small interlock segment, or its whole
// shared memory with shared_memory_type=sysv): SIGKILL gives the server no chance to remove it, and nothing else
// ever does. It is removed only when the server's own record names it and the kernel confirms that record.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readOwnedFile } from '../state/files/owned-file.js';
import { readShmSegment, removeShmSegment, type ShmSegment } from '../state/process/sysv-shm.js';
import type { Spec } from '../state/records/spec.js';
import type { InstanceRecord } from './record.js';

/** How long the server's last children (just SIGKILLed, or exiting on their postmaster's death) may take to detach. */
const DETACH_WAIT_MS = 2000;

/** What the record claims: the server's pid and its segment's key and id. */
interface SegmentClaim {
  pid: number;
  key: number;
  shmid: number;
}

// postmaster.pid's claim: the postmaster's pid on line 1, "key shmid" on line 7; null when it is not that.
function parseClaim(text: string): SegmentClaim | null {
  const lines = text.split('\n');
  const pid = /^[1-9]\d{0,9}$/.exec(lines[0] ?? '')?.[0];
  const ids = /^\s*(\d{1,20})\s+(\d{1,10})\s*$/.exec(lines[6] ?? '');
  if (!pid || !ids?.[1] || !ids[2]) return null;
  // The key is a C int that PostgreSQL prints unsigned (a negative one as 2^64 - n); the kernel lists it signed.
  return { pid: Number(pid), key: Number(BigInt.asIntN(32, BigInt(ids[1]))), shmid: Number(ids[2]) };
}

// Why the segment is not the one the claim names, made by our server as its user; null when it is.
function contest(segment: ShmSegment, claim: SegmentClaim, uid: number): string | null {
  if (segment.key !== claim.key) return `its key is ${segment.key}, not the recorded ${claim.key}`;
  if (segment.cpid !== claim.pid)
    return `its creator is pid ${segment.cpid}, not the server (pid ${claim.pid})`;
  if (segment.uid !== uid || segment.cuid !== uid)
    return `it belongs to uid ${segment.uid} (made by uid ${segment.cuid}), not the server's uid ${uid}`;
  return null;
}

// The claimed segment once nothing is attached to it (waiting a moment for the server's last children), or why not.
async function awaitOrphan(claim: SegmentClaim, uid: number): Promise<ShmSegment | string | null> {
  const deadline = Date.now() + DETACH_WAIT_MS;
  for (;;) {
    const segment = readShmSegment(claim.shmid);
    if (segment === null) return null;
    const refusal = contest(segment, claim, uid);
    if (refusal) return refusal;
    if (segment.nattch === 0) return segment;
    if (Date.now() > deadline) return `${segment.nattch} process(es) are still attached to it`;
    await sleep(20);
  }
}

// Remove the segment the server's record (spec.server.shmRecord, in its data dir) names, when the server is gone and
// the kernel confirms it: same key and id, created by the recorded server pid, owned by the server's uid, nothing
// attached. Read before the data dir is deleted, through the checked data dir. What is done or refused is logged.
export async function releaseServerSegment(spec: Spec, report: InstanceRecord): Promise<void> {
  const where = spec.server.shmRecord;
  const serverPid = report.status.serverPid;
  if (!where || !serverPid || process.platform !== 'linux' || !existsSync(spec.dataDir)) return;
  const owned = { id: spec.id, dir: spec.dataDir, realPath: spec.dataDirReal, stateRoot: spec.stateRoot };
  const read = readOwnedFile(owned, where, 4096);
  if (!read.ok) return report.log(`SysV shared memory not checked: ${read.reason}`);
  if (read.text === null) return; // the server removed its record on the way out, with its segment
  const claim = parseClaim(read.text);
  if (!claim) return report.log(`SysV shared memory not checked: ${where} is not in postmaster.pid's form`);
  if (claim.pid !== serverPid)
    return report.log(
      `left SysV segment ${claim.shmid}: ${where} names pid ${claim.pid}, not the server's ${serverPid}`,
    );
  const uid = spec.server.uid ?? process.getuid?.() ?? -1;
  const found = await awaitOrphan(claim, uid);
  if (found === null) return; // released by the server itself
  if (typeof found === 'string') return report.log(`left SysV segment ${claim.shmid}: ${found}`);
  // SysV removes by id only, so the check and the removal are two steps. For the id to name another segment between
  // them, this one must be removed by someone else and the id handed out again, which Linux does only after its
  // sequence counter wraps (tens of thousands of segments later); and a segment still in use is only marked, kept
  // until its last process detaches.
  const failure = removeShmSegment(found.shmid);
  if (failure) return report.log(`left SysV segment ${found.shmid}: ${failure}`);
  report.log(
    `removed SysV shared memory segment ${found.shmid} (key ${found.key}) left by the server (pid ${serverPid})`,
  );
}
