// How the CLI speaks: the default streams, and printing an error as the user should see it (with its exit code).

import { getExitCode, QuickdbError, UsageError } from '../errors.js';
import type { CliIO } from './command.js';
import { describeFatal, isTooManyOpenFiles } from './fatal.js';
import { spellHint } from './invoked-as.js';

/** The bin's stdout and stderr. */
export const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t),
  // Every hint on stderr names the command as the user can run it (`npx quickdb-watcher …` under npm).
  err: (t) => process.stderr.write(spellHint(t)),
  isTTY: Boolean(process.stdout.isTTY),
};

// The error with its options named by the CLI's flags: the library names options by their keys (stopGraceMs), the
// CLI says its flags (--stop-grace). The table is loaded here (`--version` and a command that succeeds need none); if
// even that fails (out of file descriptors), the error is said as it is.
async function nameFlags(error: UsageError): Promise<UsageError> {
  try {
    return (await import('../api/flags.js')).nameForCli(error);
  } catch {
    return error;
  }
}

// Print an error as the user should see it and return its exit code.
export async function reportError(thrown: unknown, io: CliIO): Promise<number> {
  const error = thrown instanceof UsageError ? await nameFlags(thrown) : thrown;
  if (isTooManyOpenFiles(error)) {
    io.err(`quickdb-watcher: ${describeFatal(error)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`quickdb-watcher: ${message}\n`);
  if (error instanceof UsageError) io.err('Run `quickdb-watcher --help` for the commands and options.\n');
  if (error instanceof QuickdbError && error.details) io.err(`${error.details}\n`);
  return getExitCode(error);
}
