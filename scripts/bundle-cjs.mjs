// Build step after tsc: the CommonJS build in dist/cjs/ (`require('quickdb-watcher')` where require(esm) is missing,
// such as jest's module runtime), made from the tsc output, and its type declarations (.d.cts).
// Two passes: esbuild bundles the entries as ESM with code splitting (so every entry shares one copy of each module
// and the drivers stay lazily loaded), then each output file is converted to CommonJS, `import()` becoming `require()`.
// ESM-only dependencies (execa and its own) are bundled; CommonJS dependencies stay external, loaded by require().
// `import.meta` has no CommonJS form: each module's own ESM location is put back in its place, so a path found with
// `new URL('../x', import.meta.url)` names the same file from either build (the watcher is always dist/runner.js).
// usage: node scripts/bundle-cjs.mjs
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cjs');
const TYPES = join(OUT, 'types');
// The CommonJS build's entries: dist/cjs/<name>.cjs from dist/<module>.js (flat names: every file one level below
// dist/). The library and jest's integration only: vitest loads ESM, and plain Node (node:test) has require(esm).
const ENTRIES = {
  index: 'index.js',
  jest: 'integrations/jest.js',
  'jest-global-setup': 'integrations/jest-global-setup.js',
  'jest-global-teardown': 'integrations/jest-global-teardown.js',
};
// Dependencies that are CommonJS packages: required at run time, never bundled.
const EXTERNAL = ['pg', 'mysql2', 'ioredis', 'ejs', 'fs-extra', 'semver', 'tar'];
// What stands in for import.meta in a converted file (`..` from dist/cjs/ is dist/).
const PRELUDE = [
  'const __qdwEsmUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", rel)).href;',
  'const __qdwResolve = (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href;',
].join('\n');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (cause) {
  process.stderr.write(`bundle-cjs: esbuild not installed (${cause.message}); no CommonJS build\n`);
  process.exit(0);
}

// Fail the build with a message.
function refuse(message) {
  process.stderr.write(`bundle-cjs: ${message}\n`);
  process.exit(1);
}

// Each compiled module's import.meta, spelled as its ESM location (relative to dist/) for the CommonJS pass.
const esmLocation = {
  name: 'esm-location',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(`${DIST}/`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'js' };
      const rel = JSON.stringify(relative(DIST, args.path));
      const contents = text
        .replaceAll('import.meta.url', `__qdwEsmUrl(${rel})`)
        .replaceAll('import.meta.resolve(', '__qdwResolve(');
      if (contents.includes('import.meta')) refuse(`${args.path} uses an import.meta with no CommonJS form`);
      return { contents, loader: 'js' };
    });
  },
};

// Pass 1: the entries bundled as split ESM.
async function bundleEsm(entryPoints) {
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    external: EXTERNAL,
    plugins: [esmLocation],
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  return result;
}

// Pass 2: one ESM output file as CommonJS, import() as require().
async function convertToCjs(file) {
  const { code } = await esbuild.transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  if (code.includes('import.meta')) refuse(`${relative(ROOT, file.path)} still uses import.meta`);
  const prelude = /__qdw(EsmUrl|Resolve)\(/.test(code) ? `${PRELUDE}\n` : '';
  return `// Built by scripts/bundle-cjs.mjs from the tsc output: the CommonJS form of quickdb-watcher.\n${prelude}${code}`;
}

const RELATIVE = /((?:from|import\()\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g;

// The .d.ts files (relative to dist/) the entries' declarations reach through relative imports.
function listDeclarations() {
  const seen = new Set();
  const queue = Object.values(ENTRIES).map((module) => module.replace(/\.js$/, '.d.ts'));
  while (queue.length > 0) {
    const rel = queue.pop();
    if (seen.has(rel) || !existsSync(join(DIST, rel))) continue;
    seen.add(rel);
    for (const [, , , spec] of readFileSync(join(DIST, rel), 'utf8').matchAll(RELATIVE))
      queue.push(relative(DIST, join(DIST, dirname(rel), `${spec}.d.ts`)));
  }
  return [...seen];
}

// Those declarations again as .d.cts under dist/cjs/types/, relative specifiers ending in .cjs: types a CommonJS
// project reads as CommonJS, never an ES module it may not require (TS1479 before TypeScript 5.8).
function writeCjsDeclarations() {
  const files = listDeclarations();
  for (const rel of files) {
    const text = readFileSync(join(DIST, rel), 'utf8').replace(RELATIVE, '$1$2$3.cjs$2');
    const target = join(TYPES, rel.replace(/\.d\.ts$/, '.d.cts'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return files.length;
}

const entryPoints = {};
for (const [name, module] of Object.entries(ENTRIES)) {
  if (!existsSync(join(DIST, module))) refuse(`dist/${module} is missing: run tsc first`);
  entryPoints[name] = join(DIST, module);
}
const result = await bundleEsm(entryPoints);
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const file of result.outputFiles) writeFileSync(file.path, await convertToCjs(file));
const declarations = writeCjsDeclarations();
const modules = Object.keys(result.metafile.inputs).length;
process.stdout.write(
  `bundle-cjs: ${relative(ROOT, OUT)} holds ${Object.keys(entryPoints).length} entries and ` +
    `${result.outputFiles.length - Object.keys(entryPoints).length} shared chunks (${modules} modules), ` +
    `${declarations} .d.cts files\n`,
);
