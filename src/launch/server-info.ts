// What a database instance runs (engine, exact version, binary, where it came from), read back from its record as
// untrusted input, and the one line `up` and `status` show of it.

/** How a data dir was made: `how` ("cloned", "built", "spare", "initialised", "reused"…), from which snapshot. */
export interface ServerDataDir {
  /** How it was made: "cloned", "built", "spare", "initialised", "reused"…. */
  how: string;
  /** The snapshot key it was cloned from (`snapshots list` shows it). */
  snapshot?: string;
  /** How long making it took. */
  ms?: number;
}

/** The server of a database instance, as its driver recorded it (`up --format json`'s `server`). A type, not an
 *  interface, so it still fits where a plain record is taken (a driver's explainFailure). */
export type ServerInfo = {
  /** The engine: "postgresql", "mariadb", "mysql" or "redis". */
  engine: string;
  /** The server's exact version, as its binary reports it: "15.14", "10.11.6", "7.0.15". */
  version: string;
  /** The server binary that runs. */
  binary: string;
  /** Where the binary was found: "PATH", "pg-bin", "embedded", "fetched"… */
  source: string;
  /** The system user the server runs as (as root), when not the caller. */
  runAs?: string;
  /** MariaDB/MySQL: which of the two the binary is. */
  flavor?: string;
  /** How the data dir was made. */
  dataDir?: ServerDataDir;
};

/** What a version may be: digits, letters and `.+~_-`, up to 64 characters (anything else is not shown). */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+~_-]{0,63}$/;
/** What a name may be (engine, source, flavor, how, a user): a word of up to 64 characters. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
/** The longest path or snapshot key taken. */
const MAX_TEXT = 4096;

// A string field that matches, else undefined.
function pick(record: Record<string, unknown>, key: string, pattern?: RegExp): string | undefined {
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) return undefined;
  return pattern && !pattern.test(value) ? undefined : value;
}

/** An object (not null, not an array) read back, else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// The data dir's description, its fields checked; undefined when it has no valid `how`.
function readServerDataDir(value: unknown): ServerDataDir | undefined {
  const record = asRecord(value);
  const how = record && pick(record, 'how', NAME);
  if (!record || !how) return undefined;
  const snapshot = pick(record, 'snapshot');
  const ms = record.ms;
  return {
    how,
    ...(snapshot ? { snapshot } : {}),
    ...(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? { ms } : {}),
  };
}

/** A server description read back from a record (untrusted): null unless engine, version, binary and source are
 *  there with the right shapes; a wrong optional field is left out. Never the record's own object. */
export function readServerInfo(value: unknown): ServerInfo | null {
  const record = asRecord(value);
  if (!record) return null;
  const engine = pick(record, 'engine', NAME);
  const version = pick(record, 'version', VERSION);
  const binary = pick(record, 'binary');
  const source = pick(record, 'source', NAME);
  if (!engine || !version || !binary || !source) return null;
  const runAs = pick(record, 'runAs', NAME);
  const flavor = pick(record, 'flavor', NAME);
  const dataDir = readServerDataDir(record.dataDir);
  return {
    engine,
    version,
    binary,
    source,
    ...(runAs ? { runAs } : {}),
    ...(flavor ? { flavor } : {}),
    ...(dataDir ? { dataDir } : {}),
  };
}

/** "postgresql 15.14": the engine and its exact version, as `up`, `status` and `list` name what runs. */
export function nameServer(server: ServerInfo): string {
  return `${server.engine} ${server.version}`;
}

/** One line on the server: engine, version, binary and its source, and how the data dir was made. */
export function describeServer(server: ServerInfo): string {
  const data = server.dataDir;
  const made = data ? `; data dir ${data.how}${data.snapshot ? ` (${data.snapshot})` : ''}` : '';
  return `${nameServer(server)} from ${server.source}: ${server.binary}${made}`;
}
