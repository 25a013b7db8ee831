// Process facts from the OS: state, start time and parent, as the PID watch needs them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  startTime: string;
  /** The kernel's per-task flags (Linux; 0 elsewhere). */
  flags: number;
}

/** A process as a record names it: its pid, and the start time recorded when it was spawned (which tells it from a
 *  later process given the same pid). */
export interface ProcessRef {
  pid: number;
  startTime?: string | null;
}

// Read a process's stat line; null when there is no such process.
export function readProcStat(pid: number): ProcStat | null {
  if (process.platform !== 'linux') return readPsStat(pid);
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const rest = text.slice(close + 2).split(' ');
  return {
    pid,
    comm,
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgid: Number(rest[2]),
    startTime: rest[19] ?? '',
    flags: Number(rest[6]) || 0,
  };
}

// macOS fallback: `ps` gives the state and the start time (lstart).
function readPsStat(pid: number): ProcStat | null {
  try {
    const out = execFileSync('ps', ['-o', 'stat=,ppid=,pgid=,lstart=,comm=', '-p', String(pid)], {
      encoding: 'utf8',
    }).trim();
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s+(.*)$/.exec(out);
    if (!m) return null;
    return {
      pid,
      state: m[1]?.[0] ?? '?',
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      startTime: m[4] ?? '',
      comm: m[5] ?? '',
      flags: 0,
    };
  } catch {
    return null;
  }
}

// Start time of a live process, or null when it is gone.
export function readStartTime(pid: number): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** PF_EXITING in the kernel's per-task flags: the process is inside exit (its files already closed, not yet a
 *  zombie). */
export const PF_EXITING = 0x4;

// True when a process in this stat will never run again: a zombie, dead (X, or x on older kernels), or exiting.
export function isEnded(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x' || (stat.flags & PF_EXITING) !== 0;
}

// True while the process runs: present, not ended, and (when known) started when we recorded.
export function isProcessAlive(ref: ProcessRef): boolean {
  const stat = readProcStat(ref.pid);
  if (!stat || isEnded(stat)) return false;
  return !ref.startTime || stat.startTime === ref.startTime;
}

// Describe why a process counts as gone, for logs and status.json.
export function describeGone(ref: ProcessRef): string | null {
  const stat = readProcStat(ref.pid);
  if (!stat) return `pid ${ref.pid} is gone`;
  if (isEnded(stat)) return `pid ${ref.pid} is a zombie`;
  if (ref.startTime && stat.startTime !== ref.startTime)
    return `pid ${ref.pid} was reused by another process`;
  return null;
}

// Live processes whose environment holds name=value (Linux /proc; none elsewhere). Unreadable ones are skipped.
export function findProcessesWithEnv(name: string, value: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = `\0${name}=${value}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (
        `\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(needle) &&
        isProcessAlive({ pid: Number(entry) })
      ) {
        found.push(Number(entry));
      }
    } catch {}
  }
  return found;
}
