// Running the real CLI binary as a user would, capturing exit code and output.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI, FIXTURES } from './env.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Run `file ...argv`; never throws on a non-zero exit.
async function runCaptured(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(file, argv, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Run `quickdb-watcher ...args` (as `user` through runuser, when given); never throws on a non-zero exit.
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  user?: string,
): Promise<CliResult> {
  const argv = [process.execPath, CLI, ...args];
  const [cmd, ...rest] = user ? ['runuser', '-u', user, '--', ...argv] : argv;
  return runCaptured(cmd as string, rest, env);
}

// Run `quickdb-watcher ...args` from inside the cgroup v2 dir `cgroup` (a shell moves itself there, then execs the
// CLI), so the launcher and the watcher it spawns start there.
export function runCliIn(
  cgroup: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const script = 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"';
  return runCaptured('sh', ['-c', script, 'sh', cgroup, process.execPath, CLI, ...args], env);
}

/** The fixture server (test/fixtures/server.mjs) in a mode: polite, stubborn or immortal. */
function fixtureServer(mode = 'polite'): string[] {
  return [process.execPath, join(FIXTURES, 'server.mjs'), mode];
}

// `up command --id ID --parent none --format json --ready-log ^READY$ ...extra -- ...server` (the fixture by default).
export function upCommand(
  id: string,
  extra: string[] = [],
  server = fixtureServer(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const args = [
    'up',
    'command',
    '--id',
    id,
    '--parent',
    'none',
    '--format',
    'json',
    '--ready-log',
    '^READY$',
  ];
  return runCli([...args, ...extra, '--', ...server], env);
}
