// The one gate for signals to a pid or process group read back from disk: only a process proven to be the one recorded.
import { readFileSync, readlinkSync } from 'node:fs';
import { INSTANCE_TAG } from './instance-tags.js';
import { isEnded, type ProcessRef, readProcStat } from './procstat.js';

export type SignalOutcome = { sent: true } | { sent: false; refused: string } | { sent: false; gone: true };

// Our own process group (a record naming it would signal us).
function ownGroup(): number | null {
  return readProcStat(process.pid)?.pgid ?? null;
}

/** Why `ref` may not be signalled at all (pid range, ourselves, no start time), or null when it may be tried. */
export function checkRecordedPid(ref: ProcessRef, what: string): string | null {
  const { pid, startTime } = ref;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1)
    return `${what} pid ${JSON.stringify(pid)} is not a pid above 1; nothing signalled`;
  if (pid === process.pid) return `${what} pid ${pid} is this process; nothing signalled`;
  if (pid === ownGroup()) return `${what} pid ${pid} leads this process's own group; nothing signalled`;
  if (typeof startTime !== 'string' || startTime === '')
    return `${what} pid ${pid} has no recorded start time, so it cannot be proven ours; nothing signalled`;
  return null;
}

// Live (not zombie) and started when recorded; 'zombie' when a matching zombie; the refusal text otherwise.
function identify(ref: ProcessRef, what: string): 'alive' | 'zombie' | { refused: string } | 'gone' {
  const refused = checkRecordedPid(ref, what);
  if (refused) return { refused };
  const stat = readProcStat(ref.pid);
  if (!stat) return 'gone';
  if (stat.startTime !== ref.startTime)
    return {
      refused: `${what} pid ${ref.pid} now belongs to another process (start time differs); nothing signalled`,
    };
  // An exiting process counts as a zombie: it has already closed the files that would prove whose it is.
  if (isEnded(stat)) return 'zombie';
  return 'alive';
}

/** Why the live process `pid` cannot be shown to belong to the instance in stateDir, or null when it can: on Linux
 *  it carries the instance tag, or works in or writes to the state dir (cwd, stdio: the watcher and server logs).
 *  A start time alone only rules out pid reuse; a forged record could name any process with its real start time.
 *  Elsewhere (no /proc) the start time is all there is. */
export function checkBelongs(pid: number, stateDir: string, what: string): string | null {
  if (process.platform !== 'linux') return null;
  try {
    if (`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(`\0${INSTANCE_TAG}=${stateDir}\0`))
      return null;
  } catch {}
  // A removed state dir reads as "<dir> (deleted)": a watcher in its last steps has just removed its own.
  const inside = (link: string): boolean =>
    link === stateDir || link === `${stateDir} (deleted)` || link.startsWith(`${stateDir}/`);
  for (const entry of ['cwd', 'fd/0', 'fd/1', 'fd/2']) {
    try {
      if (inside(readlinkSync(`/proc/${pid}/${entry}`))) return null;
    } catch {}
  }
  return `${what} pid ${pid} shows no sign of belonging to ${stateDir} (no instance tag, nothing open there); nothing signalled`;
}

/** True when `ref` is a running (not zombie) process whose start time matches the recorded one. */
export function isProvenAlive(ref: ProcessRef): boolean {
  return identify(ref, 'process') === 'alive';
}

/** Whether the recorded process is, now, a running process of the instance in stateDir (no stateDir: the start time
 *  alone): 'ours'; 'gone' (gone, a zombie, exiting, even one that began to exit while being checked, its files just
 *  closed); or why it is refused. */
export function proveRecorded(
  ref: ProcessRef,
  stateDir: string | undefined,
  what: string,
): 'ours' | 'gone' | { refused: string } {
  const who = identify(ref, what);
  if (typeof who === 'object') return who;
  if (who !== 'alive') return 'gone';
  const foreign = stateDir === undefined ? null : checkBelongs(ref.pid, stateDir, what);
  if (!foreign) return 'ours';
  return identify(ref, what) === 'alive' ? { refused: foreign } : 'gone';
}

/** Send signal to the recorded process only when it is proven to be it (see proveRecorded). */
export function signalRecorded(
  ref: ProcessRef,
  signal: NodeJS.Signals,
  what: string,
  stateDir?: string,
): SignalOutcome {
  const proof = proveRecorded(ref, stateDir, what);
  if (proof === 'gone') return { sent: false, gone: true };
  if (proof !== 'ours') return { sent: false, refused: proof.refused };
  try {
    process.kill(ref.pid, signal);
    return { sent: true };
  } catch {
    return { sent: false, gone: true };
  }
}

/** Signal the recorded process's whole group: only when its leader is proven (alive and belonging to stateDir, or a
 *  zombie already proven by the caller; start time matching) and leads its own group that is not ours. A group
 *  whose leader is gone is left to the tag sweep. */
export function signalRecordedGroup(
  ref: ProcessRef,
  signal: NodeJS.Signals,
  what: string,
  proof: { stateDir: string; provenEarlier: boolean },
): SignalOutcome {
  const who = identify(ref, what);
  if (typeof who === 'object') return { sent: false, refused: who.refused };
  if (who === 'gone') return { sent: false, gone: true };
  if (who === 'zombie' && !proof.provenEarlier)
    return {
      sent: false,
      refused: `${what} pid ${ref.pid} is a zombie not proven ours; group not signalled`,
    };
  if (who === 'alive' && !proof.provenEarlier) {
    const leader = proveRecorded(ref, proof.stateDir, what);
    if (leader === 'gone') return { sent: false, gone: true };
    if (leader !== 'ours') return { sent: false, refused: leader.refused };
  }
  const stat = readProcStat(ref.pid);
  if (!stat || stat.startTime !== ref.startTime) return { sent: false, gone: true };
  if (stat.pgid !== ref.pid)
    return {
      sent: false,
      refused: `${what} pid ${ref.pid} does not lead its own process group; group not signalled`,
    };
  try {
    process.kill(-ref.pid, signal);
    return { sent: true };
  } catch {
    return { sent: false, gone: true };
  }
}
