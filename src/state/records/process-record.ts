// Small record files that name a process (a launcher's claim, a takeover lock, a stop note): `{pid, startTime}`.
import type { ProcessRef } from '../process/procstat.js';
import { readRecord } from './status.js';

type ProcessRecord = ProcessRef & { startTime: string | null };

// Check a parsed record: a pid above 1; a start time kept only when it is a non-empty string.
function validateProcessRecord(raw: unknown): ProcessRecord {
  const { pid, startTime } = (raw ?? {}) as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) throw new Error('no pid above 1');
  return { pid, startTime: typeof startTime === 'string' && startTime !== '' ? startTime : null };
}

// The process a record file names, read as untrusted input; null when missing, unreadable or not a pid above 1.
export function readProcessRecord(path: string): ProcessRecord | null {
  const reading = readRecord(path, validateProcessRecord);
  return reading.ok ? reading.value : null;
}
