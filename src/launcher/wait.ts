// Polling with deadlines: a watcher becoming ready, or going away.
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, type ProcessRef } from '../state/procstat.js';
import { readStatusFile, type Status } from '../state/status.js';

const POLL_MS = 10;

export type ReadyOutcome =
  | { kind: 'ready'; status: Status }
  | { kind: 'failed'; status: Status | null; why: string };

// Wait until status.json says ready, the watcher fails or dies, or the deadline passes.
export async function waitForReady(
  statusPath: string,
  watcher: () => ProcessRef | null,
  timeoutMs: number,
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
    await sleep(POLL_MS);
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
