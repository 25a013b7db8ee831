// Build step after tsc: dist/watcher/main.js (and every module it loads) rebundled in place as one file.
// The watcher then loads runner.js, inspector.js and this one file instead of ~35 modules (its start-up, issue 12).
// In place, so a later plain `tsc` simply puts the unbundled (equivalent) module back; never a stale bundle.
// usage: node scripts/bundle-watcher.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const ENTRY = join(ROOT, 'dist', 'watcher', 'main.js');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (cause) {
  process.stderr.write(
    `bundle-watcher: esbuild not installed (${cause.message}); the watcher stays unbundled\n`,
  );
  process.exit(0);
}

const result = await esbuild.build({
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  metafile: true,
  logLevel: 'warning',
});
// The watcher's lean rule: its own compiled code and Node built-ins only, never an npm package.
const foreign = Object.keys(result.metafile.inputs).filter(
  (p) => !join(ROOT, p).startsWith(join(ROOT, 'dist')),
);
if (foreign.length > 0) {
  process.stderr.write(`bundle-watcher: refusing, the watcher would load ${foreign.join(', ')}\n`);
  process.exit(1);
}
const [out] = result.outputFiles;
const banner =
  '// Bundled by scripts/bundle-watcher.mjs from the tsc output of src/watcher/main.ts and its imports.\n';
writeFileSync(ENTRY, banner + out.text);
const count = Object.keys(result.metafile.inputs).length;
process.stdout.write(`bundle-watcher: ${relative(ROOT, ENTRY)} now holds ${count} modules\n`);
