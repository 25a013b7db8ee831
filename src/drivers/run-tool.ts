// Running a server's own tool (initdb, a bootstrap or single-user run) as the server's user, failing with its output.
import { QuickdbError } from '../errors.js';
import type { ServiceUser } from './service-user.js';

export interface ToolRun {
  user: ServiceUser | null;
  cwd: string;
  env: Record<string, string>;
  /** Add the caller's environment to `env` (PostgreSQL's tools want it; MariaDB's get only `env`). */
  extendEnv?: boolean;
  /** Fed on stdin (SQL for a bootstrap or single-user run: never on a command line). */
  input?: string;
  /** True when the output shows a failure even with exit 0. */
  failedByOutput?: (output: string) => boolean;
  /** The error details from the output (default: all of it, trimmed). */
  details?: (output: string) => string;
}

// Run `cmd args` as run.user; returns its combined output, or throws `failure (exit N)` with the details.
export async function runServerTool(
  cmd: string,
  args: string[],
  run: ToolRun,
  failure: string,
): Promise<string> {
  // Loaded here: only a snapshot build or a password set runs a tool, and execa costs tens of ms to load.
  const { execa } = await import('execa');
  const result = await execa(cmd, args, {
    reject: false,
    all: true,
    env: run.env,
    extendEnv: run.extendEnv ?? false,
    ...(run.input !== undefined ? { input: run.input } : {}),
    ...(run.user ? { uid: run.user.uid, gid: run.user.gid } : {}),
    cwd: run.cwd,
  });
  const output = String(result.all ?? '');
  if (result.exitCode !== 0 || run.failedByOutput?.(output)) {
    throw new QuickdbError(`${failure} (exit ${result.exitCode})`, {
      details: run.details ? run.details(output) : output.trim(),
    });
  }
  return output;
}
