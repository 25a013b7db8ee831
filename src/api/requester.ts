// Who asked for an instance: the shell above a command (past `$(…)`, npx, npm and wrappers), as `up` binds to it.
export { findRequesterPid, requireRequesterPid, resolveRequester } from '../parent/parent.js';
export { readProcFacts } from '../parent/shell-parent.js';
