// Runner entry (titled `db-quick-watcher`, then `db-quick-watcher <id>`): traps the contract's signals, then loads the watcher.
const early: NodeJS.Signals[] = [];
const trap = (signal: NodeJS.Signals): void => {
  early.push(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGHUP'] as const) process.on(signal, trap);
process.title = 'db-quick-watcher';
process.umask(0o077);

const { guardInspector } = await import('./watcher/inspector.js');
guardInspector(() => early.push('SIGUSR1'));
const { runWatcher } = await import('./watcher/main.js');
const code = await runWatcher(process.argv.slice(2), { early, trap });
process.exit(code);
