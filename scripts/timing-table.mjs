// The per-file timing table run-tests.mjs prints at the end: each file's wall time (its process, start to exit)
// and outcome, slowest first, from the records test/helpers/file-sandbox.ts leaves in each file's sandbox.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Rows shown; the JSON (QUICKDB_TEST_TIMINGS) holds every file. */
const SHOWN = 25;

// The record a file's process left, or null (a process that did not exit on its own leaves none).
function readRecord(dir) {
  try {
    const record = JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8'));
    return typeof record.file === 'string' && Number.isFinite(record.endedAt - record.startedAt)
      ? record
      : null;
  } catch {
    return null;
  }
}

// One row per file run: { file, seconds, outcome }, slowest first; a file with no record is "no record" (null s).
export function collectTimings(root, base, files) {
  const filesDir = join(base, 'f');
  let dirs = [];
  try {
    dirs = readdirSync(filesDir).map((d) => join(filesDir, d));
  } catch {}
  const records = new Map(
    dirs
      .map(readRecord)
      .filter(Boolean)
      .map((r) => [r.file, r]),
  );
  return files
    .map((path) => relative(root, path))
    .map((file) => {
      const r = records.get(file);
      if (!r) return { file, seconds: null, outcome: 'no record' };
      return { file, seconds: (r.endedAt - r.startedAt) / 1000, outcome: r.exitCode === 0 ? 'pass' : 'FAIL' };
    })
    .sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0));
}

// The table as lines: the slowest files, every file with no record (it did not exit on its own), then the sum of
// file times, the run's wall time and its jobs.
export function formatTimings(rows, { wallSeconds, jobs }) {
  const timed = rows.filter((r) => r.seconds !== null);
  const sum = rows.reduce((s, r) => s + (r.seconds ?? 0), 0);
  const failed = rows.filter((r) => r.outcome !== 'pass').length;
  return [
    `\nslowest test files (of ${rows.length}; wall time of each file's process):`,
    ...[...timed.slice(0, SHOWN), ...rows.filter((r) => r.seconds === null)].map(
      (r) => `  ${(r.seconds?.toFixed(1) ?? '?').padStart(7)} s  ${r.outcome.padEnd(9)} ${r.file}`,
    ),
    `  ${sum.toFixed(1).padStart(7)} s  total of ${rows.length} files (${failed} not passed); run wall time ${wallSeconds.toFixed(1)} s with QUICKDB_TEST_JOBS=${jobs}`,
  ];
}

// Write every row and the run's figures as JSON to `path`.
export function writeTimings(path, rows, figures) {
  writeFileSync(path, `${JSON.stringify({ ...figures, files: rows }, null, 2)}\n`);
}
