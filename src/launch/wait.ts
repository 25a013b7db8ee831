// Polling with deadlines: a watcher becoming ready (woken by changes to its state dir), or going away.
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchDirChanges } from '../state/files/dir-changes.js';
import { isProcessAlive, type ProcessRef } from '../state/process/procstat.js';
import { readStatusFile, type Status } from '../state/records/status.js';

const POLL_MS = 10;
/** With a watch on the state dir, polling is only the backstop for a missed event. */
const WATCHED_POLL_MS = 50;

export type ReadyOutcome =
  | { kind: 'ready'; status: Status }
  | { kind: 'failed'; status: Status | null; why: string };

// Wait until status.json says ready, the watcher fails or dies, or the deadline passes.
export async function waitForReady(
  statusPath: string,
  watcher: () => ProcessRef | null,
  timeoutMs: number,
): Promise<ReadyOutcome> {
  const changes = watchDirChanges(dirname(statusPath), POLL_MS, WATCHED_POLL_MS);
  try {
    return await pollForReady(statusPath, watcher, timeoutMs, changes.next);
  } finally {
    changes.close();
  }
}

async function pollForReady(
  statusPath: string,
  watcher: () => ProcessRef | null,
  timeoutMs: number,
  next: () => Promise<void>,
): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = readStatusFile(statusPath);
    if (status?.phase === 'ready') return { kind: 'ready', status };
    if (status && ['server-exited', 'stopping', 'cleaning', 'done', 'failed'].includes(status.phase)) {
      const stopped = status.stopReason ? `it was stopped before ready: ${status.stopReason}` : null;
      return {
        kind: 'failed',
        status,
        why: status.error ?? stopped ?? `the watcher reached phase "${status.phase}" before ready`,
      };
    }
    const ref = watcher();
    if (ref && !isProcessAlive(ref)) {
      const last = readStatusFile(statusPath);
      return {
        kind: 'failed',
        status: last,
        why: last?.error ?? 'the watcher exited before the server was ready',
      };
    }
    if (Date.now() > deadline) return { kind: 'failed', status, why: `not ready within ${timeoutMs} ms` };
    await next();
  }
}

// Wait until a process is gone (exited, zombie or replaced); false when the deadline passes first.
export async function waitForGone(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(ref)) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}
