// The PID watch's per-tick read: /proc/<pid>/stat opened once, re-read in place, parsed as bytes.
import { closeSync, openSync, readSync } from 'node:fs';
import { describeGone, PF_EXITING, type ProcessRef } from '../state/process/procstat.js';

const SPACE = 0x20;
const CLOSE_PAREN = 0x29;
const ZERO = 0x30;
/** Field 9 of /proc/<pid>/stat: the kernel's per-task flags. */
const FLAGS_FIELD = 9;
/** Field 22: the start time in clock ticks since boot. */
const START_FIELD = 22;

/** Checks one process for being gone; each call allocates nothing while the process lives. */
export interface ParentProbe {
  /** Why the process counts as gone (the words of describeGone), or null while it runs. */
  check(): string | null;
  close(): void;
}

/**
 * Open a probe on ref. On Linux the stat file is opened once: a read on that fd fails (ESRCH) once the process is
 * reaped, even when its pid has been given to a new process, so pid reuse cannot fool it; a zombie, a dead or an
 * exiting task counts as gone, and a recorded start time must match on the first read. Elsewhere each check asks
 * `ps`.
 */
export function openParentProbe(ref: ProcessRef): ParentProbe {
  if (process.platform !== 'linux') return { check: () => describeGone(ref), close: () => {} };
  const gone = `pid ${ref.pid} is gone`;
  let fd: number | null;
  try {
    fd = openSync(`/proc/${ref.pid}/stat`, 'r');
  } catch {
    fd = null;
  }
  const buf = Buffer.allocUnsafe(4096);
  // The start time is checked on the first read only: from then on the fd itself names that one process.
  let start = ref.startTime ? Buffer.from(ref.startTime, 'latin1') : null;
  return {
    check(): string | null {
      if (fd === null) return gone;
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, 0);
      } catch {
        return gone;
      }
      const verdict = judgeStat(buf, n, start, ref.pid);
      start = null;
      return verdict;
    },
    close(): void {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

// Judge a stat line held in buf[0, n): null while it runs, else why it counts as gone (start: checked when given).
function judgeStat(buf: Buffer, n: number, start: Buffer | null, pid: number): string | null {
  const close = buf.lastIndexOf(CLOSE_PAREN, n - 1);
  if (close < 0 || close + 2 >= n) return `pid ${pid} is gone`;
  const state = buf[close + 2];
  // Z zombie, X dead, x dead on older kernels.
  if (state === 0x5a || state === 0x58 || state === 0x78) return `pid ${pid} is a zombie`;
  let field = 3;
  let flags = 0;
  const last = start ? START_FIELD : FLAGS_FIELD;
  for (let i = close + 3; i < n && field <= last; i++) {
    const c = buf[i] as number;
    if (c === SPACE) {
      field++;
      if (field === START_FIELD && start && !matchesAt(buf, i + 1, n, start))
        return `pid ${pid} was reused by another process`;
    } else if (field === FLAGS_FIELD) flags = flags * 10 + (c - ZERO);
  }
  // PF_EXITING: inside exit, its files already closed, not yet a zombie (flags is below 2^32: % is exact).
  if (Math.floor(flags / PF_EXITING) % 2 === 1) return `pid ${pid} is a zombie`;
  return null;
}

// True when buf holds exactly `word` at `at`, followed by a space or the end of the line.
function matchesAt(buf: Buffer, at: number, n: number, word: Buffer): boolean {
  if (at + word.length > n) return false;
  for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
  const after = buf[at + word.length];
  return at + word.length === n || after === SPACE || after === 0x0a;
}
