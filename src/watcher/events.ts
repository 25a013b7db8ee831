// The watcher's event queue: signals, parent death, server exit and readiness, handled one at a time.
export type WatchEvent =
  | { type: 'signal'; signal: NodeJS.Signals }
  | { type: 'parent-gone'; reason: string }
  | { type: 'server-exit'; code: number | null; signal: string | null; error?: string }
  | { type: 'ready' }
  | { type: 'ready-failed'; reason: string };

/** FIFO of events with an awaitable next(). */
export class EventQueue {
  #items: WatchEvent[] = [];
  #waiter: ((e: WatchEvent) => void) | null = null;

  // Add an event, waking a pending next().
  push(event: WatchEvent): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter(event);
    } else {
      this.#items.push(event);
    }
  }

  // Take the next event, waiting for one if none is queued.
  next(): Promise<WatchEvent> {
    const item = this.#items.shift();
    if (item) return Promise.resolve(item);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  // Take every queued event without waiting.
  drain(): WatchEvent[] {
    return this.#items.splice(0);
  }
}
