// Build step after tsc: dist/cli/control-path.js (what `stop`, `kill` and `quiet` load) rebundled in place as one
// file: a `stop ID` then reads it instead of ~50 modules (issue 26: the CLI's own cost). The detached backend (the
// common one, small) is bundled too; two kinds of import stay imports of the unbundled modules: errors.js (one
// UsageError/QuickdbError class per process, so the CLI's report still knows them) and the other dynamic imports
// (systemd, launchd: loaded only when an instance names them, as before).
// In place, so a later plain `tsc` simply puts the unbundled (equivalent) module back; never a stale bundle.
// usage: node scripts/bundle-cli.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const ENTRY = join(ROOT, 'dist', 'cli', 'control-path.js');
const ERRORS = join(ROOT, 'dist', 'errors.js');
const INLINED = [join(ROOT, 'dist', 'backends', 'detached.js')];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (cause) {
  process.stderr.write(`bundle-cli: esbuild not installed (${cause.message}); the CLI stays unbundled\n`);
  process.exit(0);
}

// Keep errors.js and dynamic imports as imports, their paths made relative to the bundle's own dir.
const keepShared = {
  name: 'keep-shared',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = join(args.resolveDir, args.path);
      if (path !== ERRORS && (args.kind !== 'dynamic-import' || INLINED.includes(path))) return undefined;
      const spec = relative(dirname(ENTRY), path);
      return { path: spec.startsWith('.') ? spec : `./${spec}`, external: true };
    });
  },
};

const result = await esbuild.build({
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [keepShared],
});
// Like the watcher's: our own compiled code and Node built-ins only, never an npm package.
const foreign = Object.keys(result.metafile.inputs).filter(
  (p) => !join(ROOT, p).startsWith(join(ROOT, 'dist')),
);
if (foreign.length > 0) {
  process.stderr.write(`bundle-cli: refusing, the control path would load ${foreign.join(', ')}\n`);
  process.exit(1);
}
// A bundled module that finds files by import.meta.url must sit as deep as the bundle (dist/<dir>/), or its
// relative paths would point elsewhere from dist/cli/.
const moved = Object.keys(result.metafile.inputs).filter(
  (p) =>
    readFileSync(join(ROOT, p), 'utf8').includes('import.meta') &&
    relative(join(ROOT, 'dist'), join(ROOT, p)).split('/').length !== 2,
);
if (moved.length > 0) {
  process.stderr.write(
    `bundle-cli: refusing, these find files by import.meta.url from another depth: ${moved.join(', ')}\n`,
  );
  process.exit(1);
}
const [out] = result.outputFiles;
const banner =
  '// Bundled by scripts/bundle-cli.mjs from the tsc output of src/cli/control-path.ts and its imports.\n';
writeFileSync(ENTRY, banner + out.text);
const count = Object.keys(result.metafile.inputs).length;
process.stdout.write(`bundle-cli: ${relative(ROOT, ENTRY)} now holds ${count} modules\n`);
