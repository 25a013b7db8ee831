// The PostgreSQL version a user asks for (pgVersion, --pg-version, QUICKDB_WATCHER_PG_VERSION): a major, or major.minor.
import { UsageError } from '../../errors.js';

/** A checked request: `16` is any 16.x (the newest found), `16.4` exactly 16.4. */
export interface PgVersionRequest {
  major: number;
  minor?: number;
  /** As the user wrote it, for messages: "16", "16.4". */
  text: string;
  /** Where it came from, as an error names it. */
  from: 'pgVersion' | 'QUICKDB_WATCHER_PG_VERSION';
}

const ALLOWED =
  'expected a PostgreSQL major version such as 16, or major.minor such as "16.4" (10 and newer)';

// Check pgVersion, else QUICKDB_WATCHER_PG_VERSION (the option wins); undefined when neither asks for one.
export function validatePgVersion(
  value: unknown,
  env: NodeJS.ProcessEnv = process.env,
): PgVersionRequest | undefined {
  const from = value !== undefined ? 'pgVersion' : 'QUICKDB_WATCHER_PG_VERSION';
  const raw = value !== undefined ? value : env.QUICKDB_WATCHER_PG_VERSION;
  if (raw === undefined || raw === '') return undefined;
  // A number must be whole: 16.10 as a number is 16.1.
  const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  const parts = typeof text === 'string' ? /^(\d{2,3})(?:\.(\d{1,3}))?$/.exec(text) : null;
  if (!parts || Number(parts[1]) < 10) throw new UsageError(from, raw, ALLOWED);
  const minor = parts[2] === undefined ? {} : { minor: Number(parts[2]) };
  return { major: Number(parts[1]), ...minor, text: text as string, from };
}

// True when a server version ("15.14") is what the request asks for.
export function matchesPgVersion(request: PgVersionRequest, version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major === request.major && (request.minor === undefined || minor === request.minor);
}
