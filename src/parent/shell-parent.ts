// Telling a forked subshell (`$(…)`, a pipeline element) from the shell it is a fork of, and long-lived hosts, from /proc.
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** What /proc says about one process (read as untrusted input: any of it may be missing or odd). */
export interface ProcFacts {
  pid: number;
  /** The stat line's command name (what `ps` shows, e.g. "tmux: server"). */
  comm: string;
  state: string;
  ppid: number;
  session: number;
  /** Clock ticks after boot; a parent never starts after its child. */
  startTime: number;
  /** The kernel's per-task flags (PF_EXITING: inside exit). */
  flags: number;
  /** The executable's path, or null when the link cannot be read. */
  exe: string | null;
  cmdline: string[];
  /** Where argv and environ sit in its memory ("arg_start,arg_end,env_start,env_end"); null when hidden (zeros). */
  memory: string | null;
  /** Its real and effective uids, "REAL,EFFECTIVE" (from status(5)'s `Uid:` line), or null when unreadable. */
  uids: string | null;
}

/** Shells whose forks run `$(…)` and pipeline elements without exec. */
const SHELLS = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'ksh93',
  'mksh',
  'pdksh',
  'oksh',
  'ash',
  'yash',
  'posh',
]);

/** Processes that outlive the shells under them: init and service managers, logins, terminal and multiplexer hosts. */
const HOSTS =
  /^(init|systemd|upstart|launchd|tini|dumb-init|docker-init|catatonit|containerd-shim.*|conmon|s6-svscan|runsv|runsvdir|supervisord|sshd|sshd-session|sshd-auth|login|agetty|getty|tmux.*|screen|SCREEN|script|gnome-terminal.*|konsole|xterm|uxterm|rxvt|urxvt|alacritty|kitty|wezterm.*|foot|ghostty|terminator|tilix|xfce4-terminal|mate-terminal|lxterminal|qterminal|terminology|ptyxis|kgx|st)$/;

function readText(path: string, encoding: BufferEncoding = 'utf8'): string | null {
  try {
    return readFileSync(path, encoding);
  } catch {
    return null;
  }
}

// Read one process's facts from /proc; null when it is gone (or its stat line cannot be parsed).
export function readProcFacts(pid: number): ProcFacts | null {
  const stat = readText(`/proc/${pid}/stat`);
  const open = stat?.indexOf('(') ?? -1;
  const close = stat?.lastIndexOf(')') ?? -1;
  if (stat === null || open < 0 || close < open) return null;
  const rest = stat.slice(close + 2).split(' ');
  const ppid = Number(rest[1]);
  const session = Number(rest[3]);
  const startTime = Number(rest[19]);
  if (!Number.isSafeInteger(ppid) || !Number.isSafeInteger(session) || !Number.isSafeInteger(startTime))
    return null;
  // Fields 48-51 of stat(5); the kernel prints zeros to a reader that may not ptrace the process.
  const addresses = rest.slice(45, 49);
  const memory = addresses.length === 4 && addresses.some((a) => a !== '0') ? addresses.join(',') : null;
  let exe: string | null = null;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {}
  const cmdline = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
  const flags = Number(rest[6]) || 0;
  const uids = /^Uid:\s+(\d+)\s+(\d+)\s/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return {
    pid,
    comm: stat.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid,
    session,
    startTime,
    flags,
    exe,
    cmdline,
    memory,
    uids: uids ? `${uids[1]},${uids[2]}` : null,
  };
}

// The program's own name: the executable's basename, else argv[0]'s (a login shell's "-bash" read as "bash").
function readProgramName(facts: Pick<ProcFacts, 'exe' | 'cmdline'>): string {
  const path = facts.exe?.replace(/ \(deleted\)$/, '') ?? facts.cmdline[0] ?? '';
  return basename(path).replace(/^-/, '');
}

// True when the process is a shell (by its program name).
export function isShellProcess(facts: Pick<ProcFacts, 'exe' | 'cmdline'>): boolean {
  return SHELLS.has(readProgramName(facts));
}

/** How a shell process relates to its parent: a fork without exec, a program of its own, or cannot be told. */
export type ForkVerdict = 'fork' | 'exec' | 'unknown';

// Whether `child` is a fork of `parent` that never exec'd: same shell executable, argv, session, and argv and
// environ at the same addresses with the same bytes (an exec'd nested shell gets a fresh stack, so they move).
export function compareWithParent(child: ProcFacts, parent: ProcFacts): ForkVerdict {
  if (child.ppid !== parent.pid || !isShellProcess(child)) return 'exec';
  if (child.session !== parent.session || child.cmdline.join('\0') !== parent.cmdline.join('\0'))
    return 'exec';
  if (child.exe === null || parent.exe === null) return 'unknown';
  if (child.exe !== parent.exe) return 'exec';
  if (child.memory === null || parent.memory === null) return 'unknown';
  if (child.memory !== parent.memory) return 'exec';
  const environ = readText(`/proc/${child.pid}/environ`, 'latin1');
  return environ !== null && environ === readText(`/proc/${parent.pid}/environ`, 'latin1')
    ? 'fork'
    : 'unknown';
}

// The kind of long-lived host a process is (init, a service manager, sshd, a terminal), or null. A shell at pid 1
// is a container's own command, not a host: it ends with what it runs.
export function describeHost(facts: ProcFacts): string | null {
  const name = readProgramName(facts);
  if (facts.pid === 1 && !SHELLS.has(name)) return `${name || facts.comm} (pid 1)`;
  if (HOSTS.test(name) || HOSTS.test(facts.comm)) return name || facts.comm;
  return null;
}
