// Waking on changes to a dir (inotify through fs.watch), with polling as the backstop for a missed event.
import { type FSWatcher, watch } from 'node:fs';

export interface DirChanges {
  /** Resolves at the next change in the dir, or after the poll interval, whichever is first. */
  next(): Promise<void>;
  close(): void;
}

// Watch dir for changes: `next()` resolves early on an event, else after `watchedPollMs`; without inotify (or a
// watch limit reached) it is plain polling every `pollMs`.
export function watchDirChanges(dir: string, pollMs: number, watchedPollMs: number): DirChanges {
  let wake: (() => void) | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, { persistent: false }, () => wake?.());
    watcher.on('error', () => {});
  } catch {}
  const interval = watcher ? watchedPollMs : pollMs;
  return {
    next: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      }),
    close: () => watcher?.close(),
  };
}
