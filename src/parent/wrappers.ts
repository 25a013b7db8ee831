// Processes that only run the requester's command and end with it, which the default parent's walk climbs over:
// npm/npx, a `sh -c` of one command, and the programs people put in front of a command (timeout, su, sudo, nice…).
import { basename } from 'node:path';

/**
 * What a wrapper program does with the command it runs, as measured on Linux (Debian 12: coreutils 9.1, util-linux
 * 2.38, sudo 1.9.13, shadow 4.13): `waits` forks it, waits and exits with it (a process of its own above the
 * command: climbed); `execs` becomes it (no process of its own: seen through without trying); `detaches` forks it
 * and exits at once (the command is orphaned: nothing that ran it can be found).
 */
export type WrapperKind = 'waits' | 'execs' | 'detaches';

/** Wrapper programs by process name (`comm`: readable for another user's process, where the executable is not). */
export const WRAPPERS: Readonly<Record<string, WrapperKind>> = {
  timeout: 'waits',
  // The GNU time program; bash's `time` keyword is no process at all.
  time: 'waits',
  // su and runuser stay as root for the PAM session and run the command's shell in a new session.
  su: 'waits',
  runuser: 'waits',
  // With `use_pty` (a terminal), a second sudo process (the monitor, in a new session) sits between them.
  sudo: 'waits',
  sg: 'waits',
  flock: 'waits',
  strace: 'waits',
  xargs: 'waits',
  // Only `unshare --fork` leaves a process; without it unshare execs.
  unshare: 'waits',
  // Execs unless it must fork (a group leader, a job at an interactive prompt, or -f); then it waits only with -w.
  setsid: 'detaches',
  nohup: 'execs',
  nice: 'execs',
  env: 'execs',
  stdbuf: 'execs',
  chrt: 'execs',
  ionice: 'execs',
  taskset: 'execs',
  prlimit: 'execs',
  setpriv: 'execs',
  chroot: 'execs',
};

// True when setsid's options (before the command) hold -w/--wait, alone or grouped (`-fw`).
function waitsForCommand(argv: readonly string[]): boolean {
  for (const word of argv.slice(1)) {
    if (word === '--wait' || /^-[a-z]*w/.test(word)) return true;
    if (word === '--' || !word.startsWith('-')) return false;
  }
  return false;
}

// What a live wrapper process above the command does with it (by its process name), or null when not a wrapper.
// An `execs` one seen as a process of its own forked after all: it still runs only the command, so it is climbed.
export function readWrapperKind(facts: { comm: string; cmdline: readonly string[] }): WrapperKind | null {
  const kind = Object.hasOwn(WRAPPERS, facts.comm) ? (WRAPPERS[facts.comm] ?? null) : null;
  return kind === 'detaches' && waitsForCommand(facts.cmdline) ? 'waits' : kind;
}

// npm sets its process title ("npm exec quickdb-watcher up"), which leaves a single space-joined argv.
function splitTitle(argv: readonly string[]): readonly string[] {
  return argv.length === 1 && argv[0]?.includes(' ') ? argv[0].split(/\s+/) : argv;
}

// True for npm, npx, pnpm and yarn (by name or as `node …/npm-cli.js`): they only run the real requester.
export function isPackageRunner(argv: readonly string[]): boolean {
  const [cmd = '', first = ''] = splitTitle(argv);
  const name = basename(cmd);
  if (['npm', 'npx', 'pnpm', 'yarn'].includes(name)) return true;
  return name === 'node' && /(npm|npx)(-cli)?\.js$|\/(npm|npx)$/.test(first);
}

// The script of `sh -c SCRIPT` (also `bash -e -c`, `sh -ec`), or null when argv is not a shell running -c.
export function readShellScript(argv: readonly string[]): string | null {
  const [cmd = '', ...rest] = argv;
  if (!/^(sh|bash|dash|zsh|ksh|mksh|ash)$/.test(basename(cmd))) return null;
  const flag = rest.slice(0, 2).findIndex((word) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word));
  return flag < 0 ? null : (rest[flag + 1] ?? null);
}

// True when the `&` or `|` at i belongs to a redirection (`2>&1`, `&>f`, `>|f`), not to a list or a pipe.
function isRedirection(script: string, i: number): boolean {
  const c = script[i];
  const before = script[i - 1] ?? '';
  return (c === '&' && (/[<>]/.test(before) || script[i + 1] === '>')) || (c === '|' && before === '>');
}

// True when a shell script is one simple command (no list, pipe, group, background or substitution): a shell
// running it only wraps that command and exits with it. Quoted text and redirections (`2>&1`, `>|`) do not count.
function isSimpleCommand(script: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\') i++;
    else if (c === '`' || (c === '$' && script[i + 1] === '(')) return false;
    else if (quote === '"') quote = c === '"' ? null : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (';&|()\n'.includes(c) && !isRedirection(script, i)) return false;
  }
  return true;
}

// True for processes that only wrap the real requester: npm, npx, `npm exec` and a `sh -c` of one command.
export function isWrapperCommand(argv: readonly string[]): boolean {
  const script = readShellScript(argv);
  return isPackageRunner(argv) || (script !== null && isSimpleCommand(script));
}
