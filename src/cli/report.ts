// How the CLI speaks: the default streams, and printing an error as the user should see it (with its exit code).

import { nameForCli } from '../api/flags.js';
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

// Print an error as the user should see it and return its exit code.
export function reportError(thrown: unknown, io: CliIO): number {
  // The library names options by their keys (stopGraceMs); the CLI says its flags (--stop-grace).
  const error = thrown instanceof UsageError ? nameForCli(thrown) : thrown;
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
