// How the user can run us again: `npx quickdb-watcher` when npm started this process (npx, npm exec, an npm script:
// the bin is then not on the shell's PATH), else `quickdb-watcher` (a global install or a PATH bin).

/** The variables npm sets for what it runs (npx and `npm exec`: npm_command=exec; scripts: npm_lifecycle_event). */
const NPM_MARKS = ['npm_command', 'npm_execpath', 'npm_lifecycle_event'];

// The command line that runs quickdb-watcher from the user's shell.
export function readInvokedAs(env: NodeJS.ProcessEnv = process.env): string {
  return NPM_MARKS.some((k) => env[k]) ? 'npx quickdb-watcher' : 'quickdb-watcher';
}

// A hint with every quoted command (`quickdb-watcher gc`) written as the user can run it (`npx quickdb-watcher gc`).
export function spellHint(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replaceAll('`quickdb-watcher ', `\`${readInvokedAs(env)} `);
}
