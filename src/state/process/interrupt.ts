// Undoing a launch's half-made state when the launching process is interrupted (Ctrl-C sends SIGINT to the whole
// process group; a supervisor sends SIGTERM or SIGHUP): the undo steps run synchronously, newest first, and the
// signal then takes its default course unless the process has handlers of its own for it.

/** The signals an interrupted launch undoes its work on. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The undo steps of the work in progress, in the order it began. */
const pending = new Set<() => void>();

// Run every undo step (newest first; one failing does not stop the others), then let the signal do what it would
// have done without us: end the process, unless someone else listens for it (then the launch fails on its own).
function undoAll(signal: NodeJS.Signals): void {
  for (const s of SIGNALS) process.removeListener(s, undoAll);
  const steps = [...pending].reverse();
  pending.clear();
  for (const step of steps) {
    try {
      step();
    } catch {}
  }
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** A registered undo step: `release` when the work is done (or undone by other means) and needs no undo. */
export interface InterruptGuard {
  release(): void;
}

// Take the handlers away once no step waits, a turn of the event loop after the last release: a step released
// and the next one guarded in the same turn (prepare, then launch) leave no moment without them.
function uninstallWhenIdle(): void {
  setImmediate(() => {
    if (pending.size === 0) for (const s of SIGNALS) process.removeListener(s, undoAll);
  }).unref();
}

// Run `undo` if the process is interrupted before `release`; the handlers are installed only while steps wait.
export function guardInterrupt(undo: () => void): InterruptGuard {
  let done = false;
  const step = (): void => {
    if (done) return;
    done = true;
    undo();
  };
  if (!process.listeners('SIGINT').includes(undoAll)) for (const s of SIGNALS) process.on(s, undoAll);
  pending.add(step);
  return {
    release: () => {
      done = true;
      pending.delete(step);
      if (pending.size === 0) uninstallWhenIdle();
    },
  };
}
