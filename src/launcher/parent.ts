// Which process an instance's life is bound to: the shell that typed the command, climbing over npm/npx, `sh -c`
// wrappers and forked subshells (`$(…)`, pipeline elements); refused where that cannot be known.
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { isEnded } from '../state/procstat.js';
import {
  compareWithParent,
  describeHost,
  isShellProcess,
  type ProcFacts,
  readProcFacts,
} from './shell-parent.js';

/** How far the walk climbs at most (a subshell in a pipeline in `$(…)` under `npx` is 5 steps). */
const MAX_STEPS = 16;

const ADVICE = 'pass --parent $$ to bind it to your shell, or run your command under `quickdb-watcher exec`';

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
function readShellScript(argv: readonly string[]): string | null {
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
export function isSimpleCommand(script: string): boolean {
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

/** Where the walk ended: the requester's pid, or why none can be trusted to outlive the command and no more. */
export type Resolution = { pid: number } | { refusal: string };

// What the walk does at one process: climb over it (a wrapper, a forked subshell), stop there, or give up.
function classifyStep(facts: ProcFacts, parent: ProcFacts | null): 'climb' | 'stop' | 'unknown' {
  if (isWrapperCommand(facts.cmdline)) return 'climb';
  // npm's script shell (`npm run`, `npm exec`) belongs to npm, whatever the script.
  if (readShellScript(facts.cmdline) !== null && parent && isPackageRunner(parent.cmdline)) return 'climb';
  if (!parent) return 'stop';
  const verdict = compareWithParent(facts, parent);
  return verdict === 'fork' ? 'climb' : verdict === 'exec' ? 'stop' : 'unknown';
}

// The walk's end, unless it is a process that outlives the shells under it (init, sshd, a terminal host). Pid 1
// is one unless it is a shell or npm: then it is a container's own command.
function checkLasting(facts: ProcFacts): Resolution {
  const allowed = facts.pid === 1 && (isShellProcess(facts) || isPackageRunner(facts.cmdline));
  const host = allowed ? null : describeHost(facts);
  if (host === null) return { pid: facts.pid };
  return {
    refusal: `the shell that typed this command cannot be found: above it is process ${facts.pid} (${host}), a service, login or terminal host, not a shell whose life the database could share; ${ADVICE}`,
  };
}

// Walk from the caller to the shell that typed the command, over wrappers and forked subshells; /proc is read as
// untrusted input: the walk is bounded, never revisits a pid, and stops where a parent started after its child.
export function resolveRequester(startPid: number = process.ppid): Resolution {
  if (process.platform !== 'linux') return { pid: startPid };
  const seen = new Set<number>();
  let below: ProcFacts | null = null;
  for (let pid = startPid, step = 0; step < MAX_STEPS; step++) {
    const facts = seen.has(pid) ? null : readProcFacts(pid);
    seen.add(pid);
    const what = below ? `process ${pid}, which ran ${below.pid},` : `the calling process ${pid}`;
    if (!facts || isEnded({ ...facts, pgid: 0, startTime: '' }))
      return { refusal: `${what} has exited, so the database would die at once; ${ADVICE}` };
    if (below && facts.startTime > below.startTime)
      return {
        refusal: `${what} started after it (its pid was reused), so its shell cannot be told; ${ADVICE}`,
      };
    const parent = facts.ppid >= 1 ? readProcFacts(facts.ppid) : null;
    const action = classifyStep(facts, parent);
    if (action === 'stop' || (action === 'climb' && facts.ppid < 1)) return checkLasting(facts);
    if (action === 'unknown')
      return {
        refusal: `${what} may be a subshell of ${facts.ppid} (\`$(…)\` or a pipeline) that exits when this command ends, and /proc does not tell, so the database could die at once; ${ADVICE}`,
      };
    below = facts;
    pid = facts.ppid;
  }
  return { refusal: `more than ${MAX_STEPS} wrappers and subshells above pid ${startPid}; ${ADVICE}` };
}

// The default parent of a CLI call, best effort: where the walk ends, else our parent process (never throws).
export function findRequesterPid(startPid: number = process.ppid): number {
  const found = resolveRequester(startPid);
  return 'pid' in found ? found.pid : startPid;
}

/** `up`'s default parent: the shell that typed the command; a UsageError (exit 2) where it cannot be known. */
export function requireRequesterPid(startPid: number = process.ppid): number {
  const found = resolveRequester(startPid);
  if ('pid' in found) return found.pid;
  throw UsageError.fromMessage(found.refusal);
}
