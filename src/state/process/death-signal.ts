// A child that dies with us: on Linux, util-linux's `setpriv --pdeathsig` gives it a parent-death signal (exec's CMD, a migration command).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The signal CMD receives when exec dies without tearing down (SIGKILL): the polite one, as a stop would send. */
export const DEATH_SIGNAL = 'TERM';

// True when setpriv runs here and knows --pdeathsig (util-linux 2.33+); Linux only.
export function canSetDeathSignal(): boolean {
  if (process.platform !== 'linux') return false;
  return spawnSync('setpriv', ['--pdeathsig', DEATH_SIGNAL, '--', 'true'], { stdio: 'ignore' }).status === 0;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// Find cmd as execvp would (PATH from env unless it holds a slash): 'found', 'not-found' or 'not-executable'.
export function findCommand(cmd: string, env: NodeJS.ProcessEnv): 'found' | 'not-found' | 'not-executable' {
  const candidates = cmd.includes('/')
    ? [cmd]
    : (env.PATH ?? '/usr/bin:/bin').split(delimiter).map((dir) => join(dir || '.', cmd));
  if (candidates.some(isExecutableFile)) return 'found';
  const exists = candidates.some((path) => {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  });
  return exists ? 'not-executable' : 'not-found';
}
