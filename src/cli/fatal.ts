// One line for an error nothing else explained (module loading, a failure outside a command): no stack trace.
import { readFileSync } from 'node:fs';

const FD_CODES = new Set(['EMFILE', 'ENFILE']);

// The soft limit on open files (Linux /proc), or null when it cannot be read (itself needing a descriptor).
function readOpenFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch (error) {
    return FD_CODES.has((error as NodeJS.ErrnoException).code ?? '') ? 0 : null;
  }
}

// True when the error (or its cause) is running out of file descriptors.
export function isTooManyOpenFiles(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code && FD_CODES.has(code)) || /\bE[MN]FILE\b/.test((e as Error).message ?? '')) return true;
  }
  return false;
}

/** Below this many descriptors, a module that "cannot be found" most likely could not be opened. */
const LOW_FD_LIMIT = 256;

// The one-line message for an error: "too many open files; raise ulimit -n" when descriptors ran out.
export function describeFatal(error: unknown): string {
  const limit = readOpenFileLimit();
  const moduleLoad = (error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND';
  if (isTooManyOpenFiles(error) || (moduleLoad && limit !== null && limit < LOW_FD_LIMIT)) {
    const now = limit ? ` (it is ${limit})` : '';
    return `too many open files; raise ulimit -n${now}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
