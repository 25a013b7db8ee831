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
  // The plain forms (`--version`, `stop ID`, ...) run without the parser; the rest load the full CLI.
  const argv = process.argv.slice(2);
  const { runSimple } = await import('../cli/simple.js');
  const { defaultIO } = await import('../cli/report.js');
  const simple = await runSimple(argv, defaultIO);
  process.exit(simple ?? (await (await import('../cli/main.js')).runParsed(argv)));
} catch (error) {
  fail(error);
}
