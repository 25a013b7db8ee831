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

// Run `quickdb-watcher ...args` (as `user` through runuser, when given); never throws on a non-zero exit.
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  user?: string,
): Promise<CliResult> {
  const argv = [process.execPath, CLI, ...args];
  const [cmd, ...rest] = user ? ['runuser', '-u', user, '--', ...argv] : argv;
  try {
    const { stdout, stderr } = await run(cmd as string, rest, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The fixture server (test/fixtures/server.mjs) in a mode: polite, stubborn or immortal. */
function fixtureServer(mode = 'polite'): string[] {
  return [process.execPath, join(FIXTURES, 'server.mjs'), mode];
}

// `up command --id ID --parent none --format json --ready-log ^READY$ ...extra -- ...server` (the fixture by default).
export function upCommand(id: string, extra: string[] = [], server = fixtureServer()): Promise<CliResult> {
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
  return runCli([...args, ...extra, '--', ...server]);
}
