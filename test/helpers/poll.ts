// Polling with a deadline: the only way tests wait for something to happen.
import { setTimeout as sleep } from 'node:timers/promises';
import { scaleDeadline } from './load.js';

// Resolve with fn's first truthy result; throw naming `what` when the deadline passes first. timeoutMs is the
// deadline on an idle machine: it is stretched by the load factor (load.ts), never shortened.
export async function waitFor<T>(
  what: string,
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
  everyMs = 10,
): Promise<NonNullable<T>> {
  const scaled = scaleDeadline(timeoutMs);
  const deadline = Date.now() + scaled;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${scaled} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
