// The startServer options by the CLI's flags: an error renamed from `stopGraceMs` to `--stop-grace` (import-free
// beyond errors: every command's error path loads it).
export { nameForCli } from '../launch/options/flags.js';
