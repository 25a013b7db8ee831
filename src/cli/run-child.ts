// Running exec's CMD: stdio passed through, signals forwarded, and its exit mapped as a shell would (128+signal, 126, 127).
import { spawn } from 'node:child_process';
import { canSetDeathSignal, DEATH_SIGNAL, findCommand, signalNumber } from '../api/process.js';

const FORWARDED: NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

export interface ChildOutcome {
  code: number;
  /** A message for the user when the command could not run. */
  problem?: string;
}

// The argv that starts CMD: through `setpriv --pdeathsig` when it can run here (setpriv execs CMD, same pid),
// else CMD itself; an outcome instead when CMD cannot run (checked first, so the message stays ours).
function buildLaunch(argv: string[], env: NodeJS.ProcessEnv): string[] | ChildOutcome {
  const cmd = argv[0] ?? '';
  if (!canSetDeathSignal()) return argv;
  const found = findCommand(cmd, env);
  if (found === 'not-found') return { code: 127, problem: `command not found: ${cmd}` };
  if (found === 'not-executable')
    return { code: 126, problem: `permission denied: ${cmd} (is it executable?)` };
  return ['setpriv', '--pdeathsig', DEATH_SIGNAL, '--', ...argv];
}

// Run argv with env, forwarding our signals to it; resolves with the shell-style exit code.
export function runChild(argv: string[], env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  const launch = buildLaunch(argv, env);
  if (!Array.isArray(launch)) return Promise.resolve(launch);
  const [cmd, ...args] = launch as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const s of FORWARDED) process.on(s, forward);
    const done = (outcome: ChildOutcome): void => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(outcome);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') done({ code: 127, problem: `command not found: ${cmd}` });
      else if (error.code === 'EACCES')
        done({ code: 126, problem: `permission denied: ${cmd} (is it executable?)` });
      else done({ code: 126, problem: `cannot run ${cmd}: ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      done({ code: signal ? 128 + signalNumber(signal) : (code ?? 1) });
    });
  });
}
