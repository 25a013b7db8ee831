// A cross-process lock as an atomic mkdir, with the owner's pid and start time so a dead owner's lock is taken over.
import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuickdbError } from '../../errors.js';
import { removeOwnPath } from '../../state/files/remove-own.js';
import { createFileExclusive } from '../../state/files/write-file.js';
import { guardInterrupt } from '../../state/process/interrupt.js';
import { readStartTime } from '../../state/process/procstat.js';

const OWNER = 'owner';
/** A lock dir without an owner file yet is only trusted this long (the owner writes it right after mkdir). */
const UNOWNED_GRACE_MS = 10_000;

function tryAcquire(lockDir: string): boolean {
  try {
    mkdirSync(lockDir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  createFileExclusive(`${lockDir}/${OWNER}`, `${process.pid} ${readStartTime(process.pid) ?? ''}\n`);
  return true;
}

// True when the lock's owner is gone (or it never wrote its name and the lock is old).
export function isLockStale(lockDir: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(`${lockDir}/${OWNER}`, 'utf8').trim();
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > UNOWNED_GRACE_MS;
    } catch {
      return false;
    }
  }
  const [pid, start = ''] = owner.split(' ');
  const current = readStartTime(Number(pid));
  return current === null || (start !== '' && current !== start);
}

function breakStaleLock(lockDir: string): void {
  const aside = `${lockDir}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockDir, aside);
  } catch {
    return;
  }
  removeOwnPath(aside, 'dir');
}

// The pid a lock names as its owner (read as untrusted text: digits only), or null.
function readLockOwner(lockDir: string): number | null {
  try {
    const pid = readFileSync(`${lockDir}/${OWNER}`, 'utf8').trim().split(' ')[0] ?? '';
    return /^[1-9]\d{0,9}$/.test(pid) ? Number(pid) : null;
  } catch {
    return null;
  }
}

/** Told once when a live owner makes us wait (its pid, when it wrote it); what it returns is called once we hold it. */
export type LockWaiter = (owner: number | null) => (() => void) | undefined;

// Run fn holding the lock; waits for a live owner (polling), takes over a dead one's, gives up after timeoutMs.
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; waiting?: LockWaiter } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  // Guarded before it is taken (a Ctrl-C right after the mkdir finds the handler there), released only if held.
  let held = false;
  // (A host that handles the signal itself may let fn go on: the lock, no longer ours, is then left to its taker.)
  const interrupt = guardInterrupt(() => {
    if (held) removeOwnPath(lockDir, 'dir');
    held = false;
  });
  let waited: (() => void) | undefined | null = null;
  try {
    while (!tryAcquire(lockDir)) {
      if (waited === null && !isLockStale(lockDir)) waited = options.waiting?.(readLockOwner(lockDir));
      await waitTurn(lockDir, deadline, timeoutMs);
    }
    held = true;
    waited?.();
    return await fn();
  } finally {
    interrupt.release();
    if (held) removeOwnPath(lockDir, 'dir');
  }
}

// One wait for a lock another holds: break it when its owner is gone, give up past the deadline, else poll.
async function waitTurn(lockDir: string, deadline: number, timeoutMs: number): Promise<void> {
  if (isLockStale(lockDir)) {
    breakStaleLock(lockDir);
    return;
  }
  if (Date.now() > deadline) {
    throw new QuickdbError(`gave up after ${timeoutMs} ms waiting for the lock ${lockDir}`, {
      details: 'Another process is building the same snapshot; if none is, remove that dir.',
    });
  }
  await sleep(50);
}
