// Whether a failed test's kept database outlives the run (QUICKDB_KEEP_FAILED, CI), and what keep() tells the user.
import { findKeptClient } from '../../drivers/capabilities.js';
import type { KeptClient } from '../../drivers/registry.js';
import { UsageError } from '../../errors.js';
import { findExecutable, listPathDirs } from '../../state/process/executables.js';
import { writeKeptNote } from '../../state/records/kept-note.js';
import type { Spec } from '../../state/records/spec.js';

/** The environment variable that says whether a failed test's database outlives the run: 1 or 0. */
const KEEP_FAILED_ENV = 'QUICKDB_KEEP_FAILED';

/** Where a kept database of an instance can go beyond the run: the instance's state dir, and its heir if it has one. */
export interface KeepPlace {
  stateDir: string;
  driver: string;
  /** The process the instance passes to when its parent goes (the shell that ran the runner), or null. */
  heir: number | null;
}

/** Where a kept database of the instance `spec` describes can go: `stateDir`, where its record was found. */
export function findKeepPlace(spec: Spec, stateDir: string = spec.stateDir): KeepPlace {
  return { stateDir, driver: spec.driver, heir: spec.parent?.heir?.pid ?? null };
}

/** Whether kept databases outlive the run: QUICKDB_KEEP_FAILED=1 or 0 says; unset, yes unless CI is set (a CI job
 *  must not leave servers behind). `why` says why not. */
export function readKeepFailed(env: NodeJS.ProcessEnv = process.env): { keep: boolean; why: string } {
  const value = env[KEEP_FAILED_ENV];
  if (value === undefined || value === '') {
    const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
    return ci ? { keep: false, why: `CI is set; ${KEEP_FAILED_ENV}=1 keeps it` } : { keep: true, why: '' };
  }
  if (['1', 'true'].includes(value.toLowerCase())) return { keep: true, why: '' };
  if (['0', 'false'].includes(value.toLowerCase()))
    return { keep: false, why: `${KEEP_FAILED_ENV}=${value}` };
  throw new UsageError(
    KEEP_FAILED_ENV,
    value,
    'expected 1 (keep a failed test’s database after the run) or 0',
  );
}

// Quote a URL for a POSIX shell.
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// How to open a kept database with the engine's client (PostgreSQL: psql) where it is installed (the embedded and
// fetched PostgreSQL binaries carry none).
function describeOpening(client: KeptClient, url: string): string {
  const { program, engine } = client;
  if (findExecutable([program], listPathDirs())) return `  open it: ${program} ${quote(url)}\n`;
  return `  open it with any ${engine} client at that URL (${program} is not on PATH: apt-get install ${client.package})\n`;
}

/** Leave the kept note where the instance's heir will see it, and say what becomes of the database: it stays after
 *  the run (how to open it, how to remove it), or it goes with the run (and why). */
export function announceKept(place: KeepPlace | null, id: string, name: string, url: string): string {
  const first = `quickdb-watcher: kept database ${name} of instance ${id} for a look: ${url}\n`;
  const { keep, why } = readKeepFailed();
  if (!keep) return `${first}  it goes with this run (${why})\n`;
  if (!place || place.heir === null) return `${first}  it goes when instance ${id} stops\n`;
  try {
    writeKeptNote(place.stateDir, name);
  } catch (cause) {
    return `${first}  it goes with this run (its note could not be written: ${(cause as Error).message})\n`;
  }
  const client = findKeptClient(place.driver);
  const open = client ? describeOpening(client, url) : '';
  return (
    `${first}  it stays after the run, bound to the shell that ran it (pid ${place.heir})\n${open}` +
    `  remove it with: npx quickdb-watcher stop ${id}\n`
  );
}
