// Per-test databases inside a running instance: the engine-neutral admin interface, its names, and its loader.
import { UsageError } from '../errors.js';
import type { Connection } from './types.js';

/** The database (PostgreSQL), schema (MariaDB) every per-test database is cloned from, once migrations ran. */
export const TEMPLATE_NAME = 'quickdb_template';
/** Per-test database names start with this; pooled ones with POOL_PREFIX until a test takes them. */
export const TEST_PREFIX = 'qdw_';
export const POOL_PREFIX = 'qdw_pool_';

/** What a create gave: a database taken from the pool, or one cloned now. */
export interface CreatedDatabase {
  name: string;
  from: 'pool' | 'clone';
}

/** One database of a server's per-test databases, as `listDatabases()` lists it. */
export interface DatabaseEntry {
  /** The database (PostgreSQL), schema (MariaDB) or index (Redis) name. */
  name: string;
  /** True while it waits in the warm pool; false once handed to a test. */
  pooled: boolean;
}

/** A client session still connected to a database (what the engine tells of it; empty where it does not say). */
export interface OpenSession {
  /** The engine's id of the session (PostgreSQL backend pid, MariaDB connection id). */
  id: number;
  application: string;
  /** Where the client connects from: "127.0.0.1:51234", or "unix socket". */
  from: string;
  /** When it connected (ISO time), or "". */
  since: string;
  /** "idle", "active", "idle in transaction"…, or "". */
  state: string;
  lastQuery: string;
}

/** One engine's side of per-test databases and migrations, over an admin connection to a running instance. */
export interface DatabaseAdmin {
  /** The sessions still connected to a database (engines that cannot tell: none listed). */
  listSessions?(name: string): Promise<OpenSession[]>;
  /** Take a pooled database when one is ready, else clone the template (under `name` when given). */
  create(name?: string): Promise<CreatedDatabase>;
  /** Clone one more database into the pool; returns its name. */
  addPooled(): Promise<string>;
  /** Remove a database, even with clients still connected. */
  drop(name: string): Promise<void>;
  /** The per-test and pooled databases the instance holds now. */
  list(): Promise<DatabaseEntry[]>;
  /** How a client reaches one database of the instance. */
  connectionFor(name: string): Connection;
  /** The connection migrations run against (made ready for them: MariaDB creates its template schema). */
  migrationTarget(): Promise<Connection>;
  /** Apply one SQL file's text to the migration target (in one transaction where the engine allows). */
  applySql(sql: string): Promise<void>;
  /** Lines explaining an `applySql` failure the engine knows more about (an extension the binaries lack), given the
   *  server its driver described (version, source, binary); null when it has nothing to add. */
  explainFailure?(cause: unknown, server: Record<string, unknown> | undefined): string | null;
  /** After migrations: make the template that per-test databases are cloned from. */
  sealTemplate(): Promise<void>;
  /** Before a migrated snapshot is saved: remove the build instance's password (a snapshot never holds one). */
  forgetAccess(): Promise<void>;
  close(): Promise<void>;
}

const NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** A Redis per-test database is named by its index (the Redis admin checks the range). */
const INDEX_PATTERN = /^[0-9]{1,9}$/;

// Check a database name a caller chose: lower-case letters, digits and "_", so it needs no quoting anywhere; or
// a Redis database index.
export function validateDatabaseName(option: string, value: unknown): string {
  if (typeof value === 'string' && NAME_PATTERN.test(value) && value !== TEMPLATE_NAME) return value;
  if (typeof value === 'string' && INDEX_PATTERN.test(value)) return value;
  throw new UsageError(
    option,
    value,
    `expected 1-63 lower-case letters, digits or "_", starting with a letter or "_" (not ${TEMPLATE_NAME}), or a Redis database index`,
  );
}

// A fresh random name with the given prefix.
export function generateDatabaseName(prefix: string): string {
  const bytes = new Uint8Array(5);
  crypto.getRandomValues(bytes);
  return prefix + Buffer.from(bytes).toString('hex');
}

// A create as every engine does it: a pooled database when `claim` gets one (only when no name was chosen), else a
// fresh clone under `name` or a generated per-test name.
export async function claimOrClone(
  name: string | undefined,
  claim: () => Promise<string | null>,
  clone: (name: string) => Promise<void>,
): Promise<CreatedDatabase> {
  if (name === undefined) {
    const pooled = await claim();
    if (pooled) return { name: pooled, from: 'pool' };
  }
  const chosen = name ?? generateDatabaseName(TEST_PREFIX);
  await clone(chosen);
  return { name: chosen, from: 'clone' };
}
