// The dirs a test run leaves: every file's sandbox (f/*/state and f/*/tmp, test/helpers/file-sandbox.ts),
// the run's own state and tmp, and every RAM root. Each leftover names the test file whose sandbox holds it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A dir's entries, or none when it is missing.
function list(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// " (from test/x.test.ts)" when `text` (a path, a command line, an environment) names a file's sandbox of the run.
export function nameTestFile(base, text) {
  const at = text.indexOf(`${base}/f/`);
  const index = at < 0 ? null : /^[0-9a-z]+/.exec(text.slice(at + base.length + '/f/'.length))?.[0];
  if (!index) return '';
  try {
    return ` (from ${readFileSync(join(base, 'f', index, 'test-file'), 'utf8')})`;
  } catch {
    return '';
  }
}

// Every leftover dir of the run under `base` and `ramDir` (null: none), as absolute paths.
export function listLeftoverDirs(base, ramDir) {
  const sandboxes = [base, ...list(join(base, 'f')).map((d) => join(base, 'f', d))];
  // Snapshot spares (.spares) are the cache's, kept on purpose between runs, and a stop's note (.stopped-ID) is
  // kept ten minutes so a later stop of that id says "already stopped": records by design, not leaks.
  const state = sandboxes.flatMap((dir) =>
    list(join(dir, 'state'))
      .filter((d) => d !== '.spares' && !d.startsWith('.stopped-'))
      .map((d) => join(dir, 'state', d)),
  );
  // tsx's compile cache is tsx's own, reused by every test process.
  const tmp = sandboxes.flatMap((dir) =>
    list(join(dir, 'tmp'))
      .filter((d) => !d.startsWith('tsx-'))
      .map((d) => join(dir, 'tmp', d)),
  );
  // Every RAM root (one per state root used) must hold no data dir (its spares and its .state-root note are cache).
  const ram = ramDir
    ? list(ramDir).flatMap((root) =>
        list(join(ramDir, root))
          .filter((d) => d !== '.spares' && d !== '.state-root')
          .map((d) => join(ramDir, root, d)),
      )
    : [];
  return [...state, ...tmp, ...ram];
}
