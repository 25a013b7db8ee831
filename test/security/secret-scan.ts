// Where an instance's password could leak: process command lines (sampled during a launch), files, logs.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaleDeadline } from '../helpers/load.js';

/** Every command line seen while the sampler ran (processes that come and go during a launch included). */
export interface CmdlineSampler {
  stop(): string[];
}

// Read the command line of every process on the machine now.
function readAllCmdlines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' '));
    } catch {}
  }
  return out;
}

// Sample every process's command line every millisecond until stop() (catches short-lived helpers).
export function startCmdlineSampler(): CmdlineSampler {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const c of readAllCmdlines()) seen.add(c);
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      for (const c of readAllCmdlines()) seen.add(c);
      return [...seen];
    },
  };
}

// The regular files under `dir` whose bytes contain any of `needles` (symlinks and sockets are not followed).
export function findFilesContaining(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(path)) walk(join(path, e));
    } else if (st.isFile()) {
      const bytes = readFileSync(path);
      if (needles.some((n) => bytes.includes(n))) found.push(path);
    }
  };
  walk(dir);
  return found;
}

// The permission bits of a path.
export function modeOf(path: string): number {
  return lstatSync(path).mode & 0o777;
}

export interface RunResult {
  code: number | null;
  out: string;
}

// Run argv as the user nobody (no supplementary groups) with only the given environment; stdout and stderr joined.
export function runAsNobody(argv: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(
    'setpriv',
    ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--', ...argv],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', LC_ALL: 'C', ...env },
      encoding: 'utf8',
      timeout: scaleDeadline(30_000),
      cwd: '/',
    },
  );
  return {
    code: r.status,
    out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim(),
  };
}

// True when an executable is on PATH.
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
