// Build step after tsc: dist/cli/control-path.js (what `stop`, `kill` and `quiet` load) rebundled in place as one
// file: a `stop ID` then reads it instead of ~50 modules (issue 26: the CLI's own cost). The detached backend (the
// common one, small) is bundled too; two kinds of import stay imports of the unbundled modules: errors.js (one
// UsageError/QuickdbError class per process, so the CLI's report still knows them) and the other dynamic imports
// (systemd, launchd: loaded only when an instance names them, as before).
// In place, so a later plain `tsc` simply puts the unbundled (equivalent) module back; never a stale bundle.
// usage: node scripts/bundle-cli.mjs
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { bundleInPlace, ROOT } from './bundle-in-place.mjs';

const ENTRY = join(ROOT, 'dist', 'cli', 'control-path.js');
const ERRORS = join(ROOT, 'dist', 'errors.js');
const INLINED = [join(ROOT, 'dist', 'backends', 'detached.js')];

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

// A bundled module that finds files by import.meta.url must sit as deep as the bundle (dist/<dir>/), or its
// relative paths would point elsewhere from dist/cli/.
function findMoved(inputs) {
  const moved = inputs.filter(
    (p) =>
      readFileSync(join(ROOT, p), 'utf8').includes('import.meta') &&
      relative(join(ROOT, 'dist'), join(ROOT, p)).split('/').length !== 2,
  );
  return moved.length > 0
    ? `these find files by import.meta.url from another depth: ${moved.join(', ')}`
    : null;
}

await bundleInPlace({
  name: 'bundle-cli',
  entry: ENTRY,
  what: 'the control path',
  source: 'src/cli/control-path.ts',
  plugins: [keepShared],
  check: findMoved,
});
