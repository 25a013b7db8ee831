// Readiness probes run by the watcher: a file appears, a port accepts, or the server log matches.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { watchDirChanges } from '../state/files/dir-changes.js';
import type { ReadySpec } from '../state/records/spec.js';

const POLL_MS = 20;
/**
 * With no readiness check, "ready" means the server is still running this long after it started: a command that
 * fails at once (`false`, a bad flag, a missing file) exits within it and is reported as a failed start with its
 * exit code, not as ready. It is the only delay the launcher adds for such a server.
 */
const NO_CHECK_SETTLE_MS = 100;

// Resolve after the settle time; reject when aborted first (the server exited).
function settle(abort: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      abort.removeEventListener('abort', onAbort);
      resolve();
    }, NO_CHECK_SETTLE_MS);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('readiness check aborted'));
    };
    if (abort.aborted) onAbort();
    else abort.addEventListener('abort', onAbort, { once: true });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/** Reads the server log incrementally and tests a pattern against what has been written. */
class LogMatcher {
  #offset = 0;
  #text = '';
  constructor(
    private readonly path: string,
    private readonly pattern: RegExp,
  ) {}

  matches(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return false;
    }
    try {
      const buf = Buffer.alloc(65536);
      for (
        let n = readSync(fd, buf, 0, buf.length, this.#offset);
        n > 0;
        n = readSync(fd, buf, 0, buf.length, this.#offset)
      ) {
        this.#offset += n;
        this.#text = (this.#text + buf.subarray(0, n).toString('utf8')).slice(-262144);
      }
    } finally {
      closeSync(fd);
    }
    return this.pattern.test(this.#text);
  }
}

// Resolve when the server is ready; reject after timeoutMs or when aborted.
export async function waitReady(
  ready: ReadySpec,
  serverLog: string,
  timeoutMs: number,
  abort: AbortSignal,
): Promise<void> {
  if (ready.kind === 'none') return settle(abort);
  const matcher = ready.kind === 'log' ? new LogMatcher(serverLog, new RegExp(ready.pattern, 'm')) : null;
  const deadline = Date.now() + timeoutMs;
  // The log's (or the file's) dir wakes the check as soon as it changes; the poll is the backstop.
  const watched = ready.kind === 'port' ? null : dirname(ready.kind === 'file' ? ready.path : serverLog);
  const changes = watched === null ? null : watchDirChanges(watched, POLL_MS, POLL_MS);
  try {
    for (;;) {
      if (abort.aborted) throw new Error('readiness check aborted');
      if (ready.kind === 'file' && existsSync(ready.path)) return;
      if (ready.kind === 'port' && (await canConnect(ready.host, ready.port))) return;
      if (matcher?.matches()) return;
      if (Date.now() > deadline)
        throw new Error(`server not ready after ${timeoutMs} ms (${describeReady(ready)})`);
      await (changes ? changes.next() : new Promise((r) => setTimeout(r, POLL_MS)));
    }
  } finally {
    changes?.close();
  }
}

// A short human description of a readiness rule.
function describeReady(ready: ReadySpec): string {
  switch (ready.kind) {
    case 'none':
      return 'no readiness check';
    case 'file':
      return `waiting for file ${ready.path}`;
    case 'port':
      return `waiting for ${ready.host}:${ready.port} to accept`;
    case 'log':
      return `waiting for the server log to match /${ready.pattern}/`;
  }
}
