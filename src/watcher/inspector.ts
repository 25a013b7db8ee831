// Node's SIGUSR1 trap: an early SIGUSR1 opens the inspector; close it and report a fast eliminate.
import inspector from 'node:inspector';

const WATCH_MS = 150;
const EVERY_MS = 5;

// Close any inspector that a SIGUSR1 opened before our handler existed, now and for the next WATCH_MS.
export function guardInspector(onOpened: () => void): void {
  const check = (): void => {
    if (inspector.url()) {
      inspector.close();
      onOpened();
    }
  };
  check();
  setImmediate(check);
  const timer = setInterval(check, EVERY_MS);
  setTimeout(() => {
    clearInterval(timer);
    check();
  }, WATCH_MS).unref();
}
