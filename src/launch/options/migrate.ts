// The `migrate` option: a dir of .sql files, a command, or a function; validated and read once, so what is hashed
// is exactly what runs.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { isPathWithin } from '../../state/files/real-path.js';
import { findExecutable, listPathDirs } from '../../state/process/executables.js';
import { findNearbySqlDirs } from './nearby.js';

/** A library migration: called once per migration content with the server's URL and environment. */
export type MigrateFunction = (url: string, env: Record<string, string>) => unknown;

/** A dir of `.sql` files (applied in name order), a command run with the server's env, or a function. */
export type MigrateOption = string | { sql: string } | { command: string | string[] } | MigrateFunction;

export interface SqlFile {
  name: string;
  sql: string;
}

/** Paths whose contents join the cache key, and the project they lie in (the key uses paths relative to it). */
interface Hashed {
  hashPaths: string[];
  project: string;
}

export type Migration =
  | ({ kind: 'sql'; dir: string; files: SqlFile[] } & Hashed)
  | ({ kind: 'command'; command: string | string[]; cwd: string } & Hashed)
  | ({ kind: 'function'; fn: MigrateFunction; key: string | undefined } & Hashed);

export interface MigrateInput {
  migrate?: MigrateOption;
  migrateHash?: string | string[];
  migrateKey?: string;
  migrateRoot?: string;
}

// The project a relative migration path belongs to: the nearest dir from cwd up holding package.json, else cwd.
function findProjectRoot(cwd = process.cwd()): string {
  for (let at = resolve(cwd); ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return realpathSync(at);
    if (dirname(at) === at) return realpathSync(cwd);
  }
}

// The dir relative migration paths resolve against: migrateRoot (an existing dir), else the cwd.
function readMigrateRoot(value: unknown): string {
  if (value === undefined) return process.cwd();
  if (typeof value !== 'string' || !isAbsolute(value) || !existsSync(value) || !statSync(value).isDirectory())
    throw new UsageError('migrateRoot', value, 'expected the absolute path of an existing directory');
  return value;
}

// A migration dir that is not there: the absolute path tried, and the dirs of .sql files nearby.
function refuseMissingDir(value: unknown, dir: string | null, base: string): UsageError {
  if (dir === null)
    return new UsageError('migrate', value, 'expected an existing directory of .sql migration files');
  const near = findNearbySqlDirs(base, dir);
  const hint =
    near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'no directory of .sql files is near it';
  const start = isAbsolute(String(value)) ? '' : ` (a relative path starts at ${base})`;
  return new UsageError(
    'migrate',
    value,
    `expected an existing directory of .sql migration files; ` +
      `${dir} ${existsSync(dir) ? 'is not a directory' : 'does not exist'}${start}; ${hint}`,
  );
}

// Read a migration dir's .sql files in name order; a missing dir, or one without .sql files, is bad input.
function readSqlDir(value: unknown, base: string): { dir: string; files: SqlFile[] } {
  const dir = typeof value === 'string' && value !== '' ? resolve(base, value) : null;
  if (dir === null || !existsSync(dir) || !statSync(dir).isDirectory())
    throw refuseMissingDir(value, dir, base);
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.sql') && statSync(join(dir, n)).isFile())
    .sort();
  if (names.length === 0)
    throw new UsageError('migrate', value, `expected a directory of .sql files; ${dir} holds none`);
  return { dir, files: names.map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') })) };
}

// The program a command starts: argv[0], or a shell line's first word after any VAR=value assignments.
function findProgram(command: string | string[]): string {
  if (Array.isArray(command)) return command[0] ?? '';
  return (
    command
      .trim()
      .split(/\s+/)
      .find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? ''
  );
}

/** Words sh runs itself: a line starting with one (`cd db && …`) is not checked against PATH. */
const SHELL_WORDS = new Set(
  '. : [ alias break case cd command continue eval exec exit export for if read return set shift source test times trap true false ulimit umask unset wait while {'.split(
    ' ',
  ),
);

// Check a migration command: a non-empty line (run by sh) or argv, whose program exists.
function validateCommand(value: unknown, base: string): string | string[] {
  const ok =
    (typeof value === 'string' && value.trim() !== '') ||
    (Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'string' && a !== ''));
  if (!ok)
    throw new UsageError(
      'migrate.command',
      value,
      'expected a command line, or an argv of non-empty strings',
    );
  const command = value as string | string[];
  const program = findProgram(command);
  if (typeof command === 'string' && (SHELL_WORDS.has(program) || program === '')) return command;
  const found = program.includes('/')
    ? existsSync(resolve(base, program))
    : findExecutable([program], listPathDirs()) !== null;
  if (!found)
    throw new UsageError(
      'migrate.command',
      value,
      `"${program}" was not found; expected a program on PATH or a path`,
    );
  return command;
}

// Check the paths whose contents make a command's (or function's) cache key: existing, inside the project.
function validateHashPaths(value: unknown, project: string, base: string): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((path) => {
    if (typeof path !== 'string' || path === '' || !existsSync(resolve(base, path)))
      throw new UsageError('migrateHash', path, `expected an existing file or directory (from ${base})`);
    const real = realpathSync(resolve(base, path));
    if (!isPathWithin(real, project))
      throw new UsageError(
        'migrateHash',
        path,
        `is outside the project ${project}; expected a file or directory inside it`,
      );
    return real;
  });
}

// Normalize the migration options; null when there is no migration.
export function normalizeMigration(input: MigrateInput): Migration | null {
  const { migrate } = input;
  if (migrate === undefined) {
    if (input.migrateHash !== undefined)
      throw new UsageError(
        'migrateHash',
        input.migrateHash,
        (name) => `only goes with ${name('migrate')} or ${name('migrate.command')}`,
      );
    return null;
  }
  const base = readMigrateRoot(input.migrateRoot);
  const project = findProjectRoot(base);
  const hashPaths = validateHashPaths(input.migrateHash, project, base);
  if (typeof migrate === 'function') {
    const key = input.migrateKey;
    if ((typeof key !== 'string' || key === '') && hashPaths.length === 0)
      throw new UsageError(
        'migrateKey',
        key,
        'a migrate function needs a migrateKey (change it when the migrations change) or migrateHash paths; a function cannot be hashed',
      );
    return { kind: 'function', fn: migrate, key, hashPaths, project };
  }
  if (typeof migrate === 'string') return { kind: 'sql', ...readSqlDir(migrate, base), hashPaths, project };
  if (migrate && typeof migrate === 'object' && 'sql' in migrate)
    return { kind: 'sql', ...readSqlDir(migrate.sql, base), hashPaths, project };
  if (migrate && typeof migrate === 'object' && 'command' in migrate) {
    const command = validateCommand(migrate.command, base);
    return { kind: 'command', command, cwd: base, hashPaths, project };
  }
  throw new UsageError(
    'migrate',
    migrate,
    'expected a directory, { sql: DIR }, { command: CMD } or a function',
  );
}

// A short description of a migration for messages and the snapshot list.
export function describeMigration(migration: Migration): string {
  if (migration.kind === 'sql') return `${migration.files.length} SQL file(s) in ${migration.dir}`;
  if (migration.kind === 'command')
    return `command ${Array.isArray(migration.command) ? migration.command.join(' ') : migration.command}`;
  return `function (key ${migration.key ?? 'from migrateHash'})`;
}
