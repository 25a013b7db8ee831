// Observing processes and files from outside: /proc state, memory, CPU ticks, traces and fine-grained waits.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLOCK_TICKS_PER_S = 100;

// The /proc state letter of a pid (R, S, Z, ...), or null when it is gone and reaped.
export function readProcState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

// True while the pid runs (a zombie counts as not running).
export function checkRunning(pid: number): boolean {
  const s = readProcState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
}

// Private_Dirty of a process in kB, from /proc/<pid>/smaps_rollup; NaN when unreadable.
export function readPrivateDirtyKb(pid: number): number {
  try {
    const m = /^Private_Dirty:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

// RSS of a process in kB (for contrast with private dirty).
export function readRssKb(pid: number): number {
  try {
    const m = /^Rss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

// utime+stime of a process in ms, from /proc/<pid>/stat fields 14 and 15.
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

// A process's CPU in ms with its reaped children's (this process: the clones' cp; a postmaster: its startup
// process), from /proc/<pid>/stat; 0 when it is gone.
export function readCpuWithChildrenMs(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    return (ticks * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

// The bytes a tree allocates (what a spare takes from a RAM filesystem).
export function measureBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  return readdirSync(path).reduce((sum, n) => sum + measureBytes(join(path, n)), st.blocks * 512);
}

// Epoch ms of the first trace line matching `pattern` in a fixture trace file, or null.
export function findTraceTime(file: string, pattern: RegExp): number | null {
  if (!existsSync(file)) return null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (pattern.test(line)) return Number(line.split(' ')[0]);
  }
  return null;
}

// Pids of live or zombie processes whose command line contains `needle` (not this process).
export function findProcesses(needle: string): { pid: number; state: string; cmd: string }[] {
  const found: { pid: number; state: string; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(needle))
        found.push({ pid: Number(name), state: readProcState(Number(name)) ?? '?', cmd });
    } catch {}
  }
  return found;
}

// Spawn argv and time it until its stdout shows `text` (a server's ready line); then SIGTERM it and wait for its exit.
export function timeUntilOutput(argv: string[], text: string): Promise<number> {
  const t0 = Date.now();
  const [cmd, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes(text)) {
        const ms = Date.now() - t0;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    });
    child.once('error', reject);
  });
}

/** What a node child printed and how it ended. */
export interface NodeRun {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

// Run `node args` to its exit (close of its output): the time from spawn, its exit code and what it printed.
export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<NodeRun> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code: code ?? -1, stdout, stderr }),
    );
  });
}
