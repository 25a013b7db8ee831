// Who connects to a database instance, as testcontainers users set it: a user, a password, a database to create,
// and whether the loopback port wants the password at all (auth 'trust', only when asked for by name).
import { UsageError } from '../errors.js';
import { generatePassword } from './network.js';

/** How the TCP listener checks clients: the password (the default), or nobody at all on 127.0.0.1 ('trust'). */
export type AuthChoice = 'password' | 'trust';

/** The access options as given and checked; what is not given takes the engine's default. */
export interface AccessOptions {
  user?: string;
  password?: string;
  database?: string;
  auth: AuthChoice;
}

/** The account an instance's clients use: `password` null means auth 'trust'; `database` null means none chosen. */
export interface Account {
  user: string;
  password: string | null;
  database: string | null;
  /** The password was given (not made by us): then the unix socket wants it too. */
  chosen: boolean;
}

/** A user or database name: needs no quoting in SQL, a URL or a shell. */
export const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const NAME_TEXT = 'expected 1-63 letters, digits or "_", starting with a letter or "_"';

// Check a user or database name; undefined stays undefined.
function validateName(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && ACCOUNT_NAME.test(value)) return value;
  throw new UsageError(option, value, NAME_TEXT);
}

// A password as given: 1-128 characters, none of them a control character (it goes into config files and URLs).
export function isAcceptablePassword(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) return false;
  return [...value].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
}

// Check the access options together: a chosen password makes no sense with auth 'trust'.
export function normalizeAccess(options: {
  user?: unknown;
  password?: unknown;
  database?: unknown;
  auth?: unknown;
}): AccessOptions {
  const auth = options.auth ?? 'password';
  if (auth !== 'password' && auth !== 'trust')
    throw new UsageError(
      'auth',
      options.auth,
      "expected 'password' (the default: a random or chosen password) or 'trust' (no password on 127.0.0.1)",
    );
  if (options.password !== undefined && !isAcceptablePassword(options.password))
    throw new UsageError('password', options.password, 'expected 1-128 characters, no control characters');
  if (options.password !== undefined && auth === 'trust')
    throw new UsageError(
      'password',
      options.password,
      (name) => `cannot be combined with ${name('auth')} trust`,
    );
  const access: AccessOptions = { auth };
  const user = validateName('user', options.user);
  const database = validateName('database', options.database);
  if (user !== undefined) access.user = user;
  if (database !== undefined) access.database = database;
  if (options.password !== undefined) access.password = options.password as string;
  return access;
}

// The account an instance gets: the engine's defaults where nothing was chosen, and a new random password unless
// one was chosen or auth is 'trust'.
export function resolveAccount(
  access: AccessOptions,
  defaults: { user: string; database: string | null },
): Account {
  return {
    user: access.user ?? defaults.user,
    password: access.auth === 'trust' ? null : (access.password ?? generatePassword()),
    database: access.database ?? defaults.database,
    chosen: access.password !== undefined,
  };
}

// Refuse access options a driver cannot honour (`what` names them, e.g. ['user', 'database']).
export function refuseAccess(
  driver: string,
  access: AccessOptions,
  what: readonly ('user' | 'password' | 'database' | 'auth')[],
  why: string,
): void {
  for (const key of what) {
    const given = key === 'auth' ? (access.auth === 'trust' ? 'trust' : undefined) : access[key];
    if (given !== undefined) throw new UsageError(key, given, `${driver} ${why}`);
  }
}

/** The variables that hold a database instance's password; none of them means auth 'trust'. */
const PASSWORD_KEYS = ['PGPASSWORD', 'MYSQL_PASSWORD', 'REDIS_PASSWORD'];

// How a database instance's port checks clients, told from its connection's environment.
export function readAuth(env: Record<string, string>): AuthChoice {
  return PASSWORD_KEYS.some((key) => key in env) ? 'password' : 'trust';
}
