#!/usr/bin/env node
// The `quickdb-watcher` binary: hands argv to the CLI and exits with its code.
import { main } from '../cli/main.js';

process.exit(await main(process.argv.slice(2)));
