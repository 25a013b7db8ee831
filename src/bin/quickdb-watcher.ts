#!/usr/bin/env node
// The `quickdb-watcher` binary: hands argv to the CLI and exits with its code; any failure is one line, exit 1.
import { describeFatal } from '../cli/fatal.js';

// Print a failure nothing else explained and exit 1 (no stack trace).
function fail(error: unknown): never {
  process.stderr.write(`quickdb-watcher: ${describeFatal(error)}\n`);
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
try {
  // Loaded here, not statically: a failure to load the CLI (e.g. out of file descriptors) is reported in one line.
  const { main } = await import('../cli/main.js');
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  fail(error);
}
