// PGlite (@electric-sql/pglite, in-process WASM PostgreSQL) for the bench: found in the project's node_modules
// first, else under BENCH_PGLITE_DIR; the few calls the rows make, typed here so tsc passes when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './sandbox.js';

const PACKAGE = '@electric-sql/pglite';
/** The version the rows were written against (latest on npm, 2026-12; no `engines`, runs on Node 20.19+). */
const VERSION = '0.6.1';
/** What a user who wants the PGlite rows runs, shown when they are skipped. */
const PGLITE_INSTALL = `npm install -D ${PACKAGE}@${VERSION} (or npm i ${PACKAGE}@${VERSION} in a dir named by BENCH_PGLITE_DIR)`;

/** The part of a PGlite instance the rows use. */
export interface Pglite {
  query<T>(sql: string): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  clone(): Promise<Pglite>;
  close(): Promise<void>;
}

/** The PGlite class: `create()` resolves once the instance answers (in memory when no dataDir). */
export interface PgliteClass {
  create(): Promise<Pglite>;
}

/** Where PGlite was found: its version and the file URL of its ESM entry (what `import` in a user's ESM loads). */
export interface PgliteDep {
  version: string;
  entry: string;
  from: string;
}

// The package in node_modules seen from `base` (Node's own lookup), or null when it is not there.
function findIn(base: string): PgliteDep | null {
  let cjs: string;
  try {
    cjs = createRequire(join(base, 'package.json')).resolve(PACKAGE);
  } catch {
    return null;
  }
  const mark = `/node_modules/${PACKAGE}/`;
  const root = cjs.slice(0, cjs.lastIndexOf(mark) + mark.length);
  let meta: { version?: unknown; exports?: { '.'?: { import?: { default?: unknown } } } };
  try {
    meta = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  } catch (error) {
    throw new Error(`${root}package.json cannot be read as JSON`, { cause: error });
  }
  const esm = meta.exports?.['.']?.import?.default;
  const entry = typeof esm === 'string' ? join(root, esm) : '';
  if (!entry.startsWith(root) || !existsSync(entry)) return null; // no ESM entry, or one outside the package
  return { version: String(meta.version), entry: pathToFileURL(entry).href, from: root };
}

// PGlite from the project's node_modules, else from BENCH_PGLITE_DIR; or why its rows are skipped.
export function findPglite(): PgliteDep | { skip: string } {
  const found = findIn(ROOT);
  if (found) return found;
  const dir = process.env.BENCH_PGLITE_DIR;
  const there = dir ? findIn(dir) : null;
  if (there) return there;
  const where = dir ? `nor under BENCH_PGLITE_DIR=${dir}` : 'and BENCH_PGLITE_DIR is unset';
  return { skip: `${PACKAGE} is not in ${ROOT}/node_modules ${where}: ${PGLITE_INSTALL}` };
}

// Import the PGlite class from its ESM entry.
export async function loadPglite(dep: PgliteDep): Promise<PgliteClass> {
  const mod = (await import(dep.entry)) as { PGlite: PgliteClass };
  return mod.PGlite;
}

// A fresh in-memory instance with the migration's SQL files applied in order.
export async function createMigrated(PGlite: PgliteClass, sql: string[]): Promise<Pglite> {
  const db = await PGlite.create();
  try {
    for (const file of sql) await db.exec(file);
    return db;
  } catch (error) {
    await db.close();
    throw new Error('PGlite: migration failed', { cause: error });
  }
}
