// Each test file of a run-tests.mjs run gets its own sandbox under the run's: its own state root, TMPDIR and base
// dir, so files running at once never see each other's instances (list, gc, leftover checks). The snapshot cache
// and the RAM dir stay the run's (the cache is locked for concurrent users; the RAM dir holds one root per state
// root). The file's wall time and exit code are written beside it for the runner's timing table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** What one test file's process reports to the runner when it exits. */
export interface FileRecord {
  file: string;
  startedAt: number;
  endedAt: number;
  exitCode: number;
}

// The short dir name of a test file: its index in the run's list (f/files.json, written by run-tests.mjs) in base
// 36, so socket paths under the state root are no longer than before files had their own (some are near the limit).
function nameFileDir(run: string, file: string): string | null {
  const listed: unknown = JSON.parse(readFileSync(join(run, 'f', 'files.json'), 'utf8'));
  const index = Array.isArray(listed) ? listed.indexOf(file) : -1;
  return index < 0 ? null : index.toString(36);
}

// Move this process into its file's sandbox (when run-tests.mjs started it with QDW_TEST_RUN), before any test
// code reads the environment; on exit, record the file's wall time and exit code there.
export function enterFileSandbox(): void {
  const run = process.env.QDW_TEST_RUN;
  const script = process.argv[1];
  if (!run || !script?.endsWith('.test.ts')) return;
  const file = relative(ROOT, script);
  const name = nameFileDir(run, file);
  if (name === null) throw new Error(`${file} is not in the run's list ${join(run, 'f', 'files.json')}`);
  const dir = join(run, 'f', name);
  // 0711: as root, servers run as an unprivileged user that must traverse (not read) the sandbox.
  mkdirSync(join(dir, 'tmp'), { recursive: true, mode: 0o711 });
  writeFileSync(join(dir, 'test-file'), file);
  process.env.QDW_TEST_BASE = dir;
  process.env.QUICKDB_WATCHER_STATE = join(dir, 'state');
  process.env.TMPDIR = join(dir, 'tmp');
  const startedAt = Math.round(performance.timeOrigin);
  process.once('exit', (code) => {
    const record: FileRecord = { file, startedAt, endedAt: Date.now(), exitCode: code };
    writeFileSync(join(dir, 'record.json'), JSON.stringify(record));
  });
}
