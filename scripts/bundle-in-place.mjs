// The shared step of bundle-watcher.mjs and bundle-cli.mjs: one dist module and everything it loads rebundled in
// place as one file, refusing any npm package (our own compiled code and Node built-ins only) and whatever `check`
// names. In place, so a later plain `tsc` simply puts the unbundled (equivalent) module back; never a stale bundle.
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');

// Bundle `entry` in place; `name` prefixes messages, `what` names the bundle in them, `check(inputs)` returns a
// refusal or null. Without esbuild, the module stays unbundled (exit 0).
export async function bundleInPlace({ name, entry, what, source, plugins = [], check = () => null }) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (cause) {
    process.stderr.write(`${name}: esbuild not installed (${cause.message}); ${what} stays unbundled\n`);
    process.exit(0);
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const foreign = inputs.filter((p) => !join(ROOT, p).startsWith(join(ROOT, 'dist')));
  const refusal = foreign.length > 0 ? `${what} would load ${foreign.join(', ')}` : check(inputs);
  if (refusal) {
    process.stderr.write(`${name}: refusing, ${refusal}\n`);
    process.exit(1);
  }
  const banner = `// Bundled by scripts/${name}.mjs from the tsc output of ${source} and its imports.\n`;
  writeFileSync(entry, banner + result.outputFiles[0].text);
  process.stdout.write(`${name}: ${relative(ROOT, entry)} now holds ${inputs.length} modules\n`);
}
