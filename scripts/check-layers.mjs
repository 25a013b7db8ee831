// The layering check for src/: which folder may import which (`npm run lint:layers`); --graph prints the graph.
// usage: node scripts/check-layers.mjs [--graph | --graph=files]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const SRC = join(ROOT, 'src');

// The stacks, top to bottom; a tier that is a list holds peers, which may not import each other. A folder of src/ is
// one layer, except state/, whose three folders are layers of their own (records, process facts, safe files).
// Launcher side, by capability: start (the library's startServer, Instance, migrations, per-test databases) over
// manage (control, inventory, gc) over launch (options, claim, prepare, launch, wait) over parent (who the parent is).
const STATE = ['state/records', 'state/process', 'state/files'];
const LAUNCHER = [
  'start',
  'manage',
  'launch',
  'parent',
  ['drivers', 'backends'],
  'generate',
  'cleanup',
  ...STATE,
];
// api/ is the management API (list, inspect, open, control, gc, snapshots, generate): index.ts re-exports it, and the
// CLI and the integrations reach the launcher only through it.
const STACKS = [
  ['bin', 'cli', 'index.ts', 'api', ...LAUNCHER],
  ['runner.ts', 'watcher', 'cleanup', ...STATE],
  // The test-runner integrations: separate entry points above the library (index.ts never imports them).
  ['integrations', 'index.ts', 'api', ...LAUNCHER],
];
// Layers held to fewer layers than the stacks allow: the CLI and the integrations use the public library and its API
// (and the leaves), nothing under them.
const ONLY = new Map([
  ['bin', ['cli']],
  ['cli', ['index.ts', 'api']],
  ['integrations', ['index.ts', 'api']],
]);
// Leaves every layer may import, except these (the watcher process stays on its own code).
const ERRORS = 'errors.ts';
const SUGGEST = 'suggest.ts';
const NO_ERRORS = new Set(['cleanup', 'watcher', ...STATE]);
// Layers that run in the watcher process: Node built-ins and lower layers only, no npm package.
const LEAN = new Set(['runner.ts', 'watcher', 'cleanup', ...STATE]);

// Map each layer to the set of layers below it in every stack it belongs to.
function buildAllowed() {
  const allowed = new Map();
  for (const stack of STACKS) {
    const tiers = stack.map((tier) => (Array.isArray(tier) ? tier : [tier]));
    tiers.forEach((tier, i) => {
      const below = tiers.slice(i + 1).flat();
      for (const layer of tier) allowed.set(layer, new Set([...(allowed.get(layer) ?? []), ...below]));
    });
  }
  for (const [layer, only] of ONLY) allowed.set(layer, new Set(only));
  for (const [layer, below] of allowed) if (!NO_ERRORS.has(layer)) below.add(ERRORS).add(SUGGEST);
  allowed.set(ERRORS, new Set());
  allowed.set(SUGGEST, new Set());
  return allowed;
}

const ALLOWED = buildAllowed();
const ORDER = [...new Set(STACKS.flat(2)), ERRORS, SUGGEST];

// The layer of a src-relative path: its top folder (state/'s second level), or the top-level file's name.
function findLayer(rel) {
  const parts = rel.split('/');
  const head = parts[0] === 'state' ? parts.slice(0, 2).join('/') : parts[0];
  return ALLOWED.has(head) ? head : undefined;
}

// Every .ts file under src, as paths relative to the repo root.
function listSources() {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

// The module specifiers one file names: static imports, re-exports, import() and import types.
function readSpecifiers(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : node;
      found.push({ spec: node.moduleSpecifier.text, type: Boolean(clause?.isTypeOnly) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      const literal = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg));
      found.push(literal ? { spec: arg.text, type: false } : { computed: arg?.getText(source) ?? '' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push({ spec: node.argument.literal.text, type: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// Resolve a relative specifier (NodeNext: './x.js' names './x.ts') to a repo-relative path, or undefined.
function resolveRelative(file, spec) {
  const base = join(ROOT, dirname(file), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), base]) {
    if (existsSync(candidate)) return relative(ROOT, candidate);
  }
  return undefined;
}

// Name the npm package of a bare specifier ('@scope/name/sub' -> '@scope/name').
function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

// Read every src file's imports into edges {from, to, fromLayer, toLayer, type} and violation lines.
function collectGraph() {
  const edges = [];
  const violations = [];
  for (const file of listSources()) {
    const fromLayer = findLayer(relative('src', file));
    if (!fromLayer) violations.push(`${file}: in no layer (place it in STACKS in scripts/check-layers.mjs)`);
    const seen = new Map();
    for (const found of readSpecifiers(file)) {
      if (found.computed !== undefined) {
        violations.push(
          `${file} -> import(${found.computed}): a computed path hides the import; use a literal`,
        );
        continue;
      }
      const { spec, type } = found;
      if (isBuiltin(spec)) continue;
      let to;
      let toLayer;
      if (spec.startsWith('.')) {
        to = resolveRelative(file, spec);
        if (!to) {
          violations.push(`${file} -> ${spec}: cannot resolve`);
          continue;
        }
        toLayer = to.startsWith('src/') ? findLayer(relative('src', to)) : undefined;
      } else {
        to = packageOf(spec);
        toLayer = `npm:${to}`;
      }
      const known = seen.get(to);
      if (known) known.type &&= type;
      else seen.set(to, { from: file, to, fromLayer, toLayer, type });
    }
    edges.push(...seen.values());
  }
  for (const edge of edges) {
    const message = judgeEdge(edge);
    if (message) violations.push(`${edge.from} -> ${edge.to}: ${message}`);
  }
  return { edges, violations };
}

// Say why an edge breaks the layering, or return undefined when it is allowed.
function judgeEdge({ fromLayer, toLayer, to }) {
  if (!fromLayer || fromLayer === toLayer) return undefined;
  if (toLayer?.startsWith('npm:')) {
    return LEAN.has(fromLayer) ? `${fromLayer} may not import npm package ${to}` : undefined;
  }
  if (!toLayer) return `${fromLayer} may not import a file outside the layers`;
  return ALLOWED.get(fromLayer).has(toLayer) ? undefined : `${fromLayer} may not import ${toLayer}`;
}

// Print the layer graph: each `from -> to` pair with its count of file imports, and the file pairs if asked.
function printGraph(edges, withFiles) {
  const rank = (layer) => (ORDER.includes(layer) ? ORDER.indexOf(layer) : ORDER.length);
  const pairs = new Map();
  for (const edge of edges) {
    if (!edge.fromLayer || !edge.toLayer || edge.fromLayer === edge.toLayer) continue;
    const key = `${edge.fromLayer} -> ${edge.toLayer}`;
    pairs.set(key, [...(pairs.get(key) ?? []), edge]);
  }
  const keys = [...pairs.keys()].sort((a, b) => {
    const [fa, ta] = a.split(' -> ');
    const [fb, tb] = b.split(' -> ');
    return rank(fa) - rank(fb) || rank(ta) - rank(tb) || ta.localeCompare(tb);
  });
  console.log('layer graph of src/ (file imports per pair; "not allowed" marks a violation):');
  for (const key of keys) {
    const list = pairs.get(key);
    const bad = judgeEdge(list[0]) ? '  not allowed' : '';
    console.log(`  ${key.padEnd(34)} ${String(list.length).padStart(3)}${bad}`);
    if (!withFiles) continue;
    for (const e of list) console.log(`      ${e.from} -> ${e.to}${e.type ? ' (type only)' : ''}`);
  }
}

const graphArg = process.argv.slice(2).find((a) => a.startsWith('--graph'));
const { edges, violations } = collectGraph();
if (graphArg) printGraph(edges, graphArg === '--graph=files');
for (const line of violations) console.log(line);
if (violations.length > 0) {
  console.log(`check-layers: ${violations.length} violation(s); the layers are in scripts/check-layers.mjs`);
  process.exit(1);
}
console.log(`check-layers: ${edges.length} imports in src/ follow the layers`);
