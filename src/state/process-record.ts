// Small record files that name a process (a launcher's claim, a takeover lock, a stop note): `{pid, startTime}`.
import { readFileSync } from 'node:fs';
import type { ProcessRef } from './procstat.js';

// The process a record file names, read as untrusted input; null when missing, unreadable or not a pid above 1.
export function readProcessRecord(path: string): (ProcessRef & { startTime: string | null }) | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const { pid, startTime } = raw as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) return null;
  return { pid, startTime: typeof startTime === 'string' && startTime !== '' ? startTime : null };
}
