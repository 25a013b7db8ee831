// Which process an instance's life is bound to: the caller, skipping npm/npx and `sh -c` wrappers.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readProcStat } from '../state/procstat.js';

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

// True for processes that only wrap the real requester: npm, npx, `npm exec` and `sh -c`.
export function isWrapperCommand(argv: readonly string[]): boolean {
  // npm sets its process title ("npm exec quickdb-watcher up"), which leaves a single space-joined argv.
  const words = argv.length === 1 && argv[0]?.includes(' ') ? argv[0].split(/\s+/) : argv;
  const [cmd = '', first = '', second = ''] = words;
  const name = basename(cmd);
  if (['npm', 'npx', 'pnpm', 'yarn'].includes(name)) return true;
  if (name === 'node' && /(npm|npx)(-cli)?\.js$|\/(npm|npx)$/.test(first)) return true;
  if (/^(sh|bash|dash|zsh)$/.test(name) && (first === '-c' || second === '-c')) return true;
  return false;
}

// The default parent of a CLI call: our parent process, climbing over wrappers.
export function findRequesterPid(startPid: number = process.ppid): number {
  let pid = startPid;
  for (let depth = 0; depth < 6; depth++) {
    const stat = readProcStat(pid);
    if (!stat || stat.ppid <= 1 || !isWrapperCommand(readCmdline(pid))) return pid;
    pid = stat.ppid;
  }
  return pid;
}
