// Build step after tsc: dist/watcher/main.js (and every module it loads) rebundled in place as one file.
// The watcher then loads runner.js, inspector.js and this one file instead of ~35 modules (its start-up, issue 12).
// usage: node scripts/bundle-watcher.mjs
import { join } from 'node:path';
import { bundleInPlace, ROOT } from './bundle-in-place.mjs';

await bundleInPlace({
  name: 'bundle-watcher',
  entry: join(ROOT, 'dist', 'watcher', 'main.js'),
  what: 'the watcher',
  source: 'src/watcher/main.ts',
});
