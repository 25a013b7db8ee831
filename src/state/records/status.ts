// status.json on disk: read back as untrusted input, written atomically.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/write-file.js';
import type { ProcessRef } from '../process/procstat.js';
import type { Status } from './status-shape.js';
import { validateStatus } from './status-validate.js';

export type { FinishedBy, Finisher, Phase, Status } from './status-shape.js';
export { createStatus, isFinishedPhase } from './status-shape.js';
export { validateStatus };

// The watcher a status names, or null when none ever recorded itself.
export function readWatcherRef(status: Status): ProcessRef | null {
  return status.watcherPid === null ? null : { pid: status.watcherPid, startTime: status.watcherStartTime };
}

/** A record read back from disk: its value, or why it cannot be used (missing: no file at all). */
export type RecordReading<T> = { ok: true; value: T } | { ok: false; missing: boolean; reason: string };

// Read a record file and hand its parsed JSON to `validate`; says why when either fails.
export function readRecord<T>(path: string, validate: (raw: unknown) => T): RecordReading<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: `cannot read ${path}: ${(cause as Error).message}` };
  }
  try {
    return { ok: true, value: validate(JSON.parse(text)) };
  } catch (cause) {
    return { ok: false, missing: false, reason: `${path}: ${(cause as Error).message}` };
  }
}

// Write status.json (the one way to write: a temp file renamed into place, so readers never see half a file).
export function writeStatusFile(path: string, status: Status): void {
  writeFileAtomic(path, `${JSON.stringify(status, null, 2)}\n`);
}

/** A status.json that is missing, unreadable or invalid: `reason` says which (missing: no file at all). */
export type StatusReading = RecordReading<Status>;

// Read and validate status.json, saying why it cannot be used.
export function readStatusRecord(path: string): StatusReading {
  return readRecord(path, validateStatus);
}

// Read status.json; null when missing, unreadable or invalid (readStatusRecord says why).
export function readStatusFile(path: string): Status | null {
  const reading = readStatusRecord(path);
  return reading.ok ? reading.value : null;
}
