// Which process an instance's life is bound to: the shell that typed the command, climbing over npm/npx, `sh -c`
// wrappers, the wrapper programs that wait for the command (timeout, su, sudo…) and forked subshells (`$(…)`,
// pipeline elements); refused where that cannot be known.
import { UsageError } from '../errors.js';
import { isEnded } from '../state/process/procstat.js';
import {
  compareWithParent,
  describeHost,
  isShellProcess,
  type ProcFacts,
  readProcFacts,
} from './shell-parent.js';
import { isPackageRunner, isWrapperCommand, readShellScript, readWrapperKind } from './wrappers.js';

/** How far the walk climbs at most (a subshell in a pipeline in `$(…)` under `npx` is 5 steps). */
const MAX_STEPS = 16;

const ADVICE = 'pass --parent $$ to bind it to your shell, or run your command under `quickdb-watcher exec`';

/** Where the walk ended: the requester's pid, or why none can be trusted to outlive the command and no more. */
export type Resolution = { pid: number } | { refusal: string };

/** What the walk does at one process: climb over it (a wrapper, a forked subshell), stop there, or refuse. */
type Step = 'climb' | 'stop' | { refusal: string };

// What the walk does at `facts` (said as `what` in a refusal), given its parent's facts.
function classifyStep(facts: ProcFacts, parent: ProcFacts | null, what: string): Step {
  const kind = readWrapperKind(facts);
  if (kind === 'detaches')
    return {
      refusal: `${what} is \`${facts.comm}\` without --wait, which forks the command off and exits at once (as it does for a job at an interactive prompt, or with -f), so nothing that ran it can be found and the database would be bound to a process that is going; ${ADVICE}`,
    };
  if (kind !== null || isWrapperCommand(facts.cmdline)) return 'climb';
  // npm's script shell (`npm run`, `npm exec`) belongs to npm, whatever the script.
  if (readShellScript(facts.cmdline) !== null && parent && isPackageRunner(parent.cmdline)) return 'climb';
  if (!parent) return 'stop';
  const verdict = compareWithParent(facts, parent);
  if (verdict !== 'unknown') return verdict === 'fork' ? 'climb' : 'stop';
  return {
    refusal: `${what} may be a subshell of ${facts.ppid} (\`$(…)\` or a pipeline) that exits when this command ends, and /proc does not tell, so the database could die at once; ${ADVICE}`,
  };
}

// A uid list as a message says it: the effective uid, and the real one where it differs (a setuid program).
function describeUids(uids: string): string {
  const [real, effective] = uids.split(',');
  return real === effective ? `uid ${effective}` : `uid ${effective} (real ${real})`;
}

// The walk's end, unless it is a process that outlives the shells under it (init, sshd, a terminal host), or a
// program (not a shell) that runs as another user than the process it ran: a wrapper that switches users and ends
// with the command, like su or sudo but not one known here, cannot be told from a lasting program, so it is refused.
// Pid 1 is a host unless it is a shell or npm: then it is a container's own command.
function checkLasting(facts: ProcFacts, uidsBelow: string | null, what: string): Resolution {
  const allowed = facts.pid === 1 && (isShellProcess(facts) || isPackageRunner(facts.cmdline));
  const host = allowed ? null : describeHost(facts);
  if (host !== null)
    return {
      refusal: `the shell that typed this command cannot be found: above it is process ${facts.pid} (${host}), a service, login or terminal host, not a shell whose life the database could share (a wrapper that forks the command off and exits, such as \`setsid\` or \`sudo -b\`, leaves it there too); ${ADVICE}`,
    };
  if (isShellProcess(facts) || facts.uids === null || uidsBelow === null || facts.uids === uidsBelow)
    return { pid: facts.pid };
  return {
    refusal: `${what} (${facts.comm}) runs as ${describeUids(facts.uids)} and what it ran as ${describeUids(uidsBelow)}, and it is not a shell: it may be a program that switches users and ends with this command, which /proc does not tell; ${ADVICE}`,
  };
}

// True when a process exists but /proc does not show it to us (another user's, with /proc mounted hidepid=2).
function isHidden(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The refusal for a process the walk reached but cannot read or that is ending: hidden from us, or gone.
function refuseUnseen(what: string, hidden: boolean): Resolution {
  if (hidden)
    return {
      refusal: `${what} is hidden from this user (another user's process, /proc mounted with hidepid), so whether it outlives this command cannot be told; ${ADVICE}`,
    };
  return { refusal: `${what} has exited, so the database would die at once; ${ADVICE}` };
}

// Walk from the caller to the shell that typed the command, over wrappers and forked subshells; /proc is read as
// untrusted input: the walk is bounded, never revisits a pid, and stops where a parent started after its child.
export function resolveRequester(startPid: number = process.ppid): Resolution {
  if (process.platform !== 'linux') return { pid: startPid };
  const seen = new Set<number>();
  let below: ProcFacts | null = null;
  let uidsBelow = readProcFacts(process.pid)?.uids ?? null;
  for (let pid = startPid, step = 0; step < MAX_STEPS; step++) {
    const facts = seen.has(pid) ? null : readProcFacts(pid);
    const what = below ? `process ${pid}, which ran ${below.pid},` : `the calling process ${pid}`;
    if (!facts || isEnded({ ...facts, pgid: 0, startTime: '' }))
      return refuseUnseen(what, !facts && !seen.has(pid) && pid > 0 && isHidden(pid));
    seen.add(pid);
    if (below && facts.startTime > below.startTime)
      return {
        refusal: `${what} started after it (its pid was reused), so its shell cannot be told; ${ADVICE}`,
      };
    const parent = facts.ppid >= 1 ? readProcFacts(facts.ppid) : null;
    const action = classifyStep(facts, parent, what);
    if (typeof action === 'object') return action;
    if (action === 'stop' || facts.ppid < 1) return checkLasting(facts, uidsBelow, what);
    below = facts;
    uidsBelow = facts.uids;
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
