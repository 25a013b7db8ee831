// Observing processes as a user would: alive, zombie, gone, listening ports.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { waitFor } from './poll.js';

// The state letter of a process (R, S, Z, ...), or null when it is gone.
export function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

// True when the pid is gone entirely (not even a zombie).
export function isGone(pid: number): boolean {
  return procState(pid) === null;
}

// True while the process runs (a zombie does not count).
export function isRunning(pid: number): boolean {
  const s = procState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
}

// The pid a file holds, or null while it is missing or empty.
export function readPidFile(path: string): number | null {
  try {
    return Number(readFileSync(path, 'utf8')) || null;
  } catch {
    return null;
  }
}

// True when a SIGKILL is pending for the process (sent, not yet acted on: it dies as soon as it is scheduled).
export function isBeingKilled(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['SigPnd', 'ShdPnd'].some((field) => {
      const mask = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
      return mask !== undefined && (BigInt(`0x${mask}`) & 0x100n) !== 0n;
    });
  } catch {
    return false;
  }
}

// Wait until the pid is not running (exited, possibly a zombie awaiting init's reaping).
export function waitNotRunning(pid: number, timeoutMs = 20_000): Promise<boolean> {
  return waitFor(`pid ${pid} to stop running`, () => !isRunning(pid), timeoutMs);
}

// Wait until the pid is gone and reaped.
export function waitGone(pid: number, timeoutMs = 20_000): Promise<boolean> {
  return waitFor(`pid ${pid} to be gone and reaped`, () => isGone(pid), timeoutMs);
}

// SIGKILL a pid if it still runs (for cleanup after a failed test).
export function killIfRunning(pid: number | null | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid || !isRunning(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {}
}

// TCP ports a process listens on (from /proc/net/tcp{,6} and its socket fds).
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1]) inodes.add(m[1]);
      } catch {}
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9] && inodes.has(cols[9]))
        ports.push(Number.parseInt(cols[1]?.split(':')[1] ?? '0', 16));
    }
  }
  return ports;
}

// Pids of live processes whose command line contains `needle`.
// Running processes tagged with an instance (QUICKDB_WATCHER_INSTANCE=<its state dir>): this suite's, no one else's.
export function findInstanceProcesses(stateDir: string): number[] {
  const needle = `\0QUICKDB_WATCHER_INSTANCE=${stateDir}\0`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        return `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(needle) && isRunning(pid);
      } catch {
        return false;
      }
    });
}

export function findProcesses(needle: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(needle) &&
        isRunning(Number(pid))
      ) {
        found.push(Number(pid));
      }
    } catch {}
  }
  return found;
}
