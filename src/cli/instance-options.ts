// The instance options shared by `up`, `exec` and `generate`: yargs definitions and their mapping to StartOptions.
import type { Argv } from 'yargs';
import { DEFAULT_DRIVER, describeDriverChoices } from '../api/engines.js';
import { BACKEND_CHOICES } from '../api/names.js';
import { UsageError } from '../errors.js';
import type { StartOptions } from '../index.js';

// Add the instance options to a command's parser.
export function defineInstanceOptions<T>(y: Argv<T>) {
  const defined = y
    .positional('driver', {
      type: 'string',
      describe: describeDriverChoices(),
    })
    .option('data-dir', {
      type: 'string',
      describe: 'data dir (new, empty, or one of ours); default per --data-on',
    })
    .option('data-on', {
      type: 'string',
      describe:
        'where a default data dir goes: auto (RAM, e.g. /dev/shm, when it has room; else disk), ram or disk ' +
        '(env QUICKDB_WATCHER_DATA_ON)',
    })
    .option('cleanup', {
      type: 'boolean',
      default: true,
      describe: 'delete the data dir on stop (--no-cleanup keeps it)',
    })
    .option('parent', {
      type: 'string',
      describe:
        'pid the instance lives with, or "none" (default: up: the shell that typed it; exec: exec itself)',
    })
    .option('backend', {
      choices: BACKEND_CHOICES,
      default: 'auto' as const,
      describe: 'how the watcher is launched',
    })
    .option('stop-grace', {
      type: 'string',
      describe: "ms from the server's graceful stop signal to its fast one (default 10000)",
    })
    .option('fast-grace', {
      type: 'string',
      describe: "ms from the server's fast stop signal to SIGKILL (default 2000)",
    })
    .option('poll', {
      type: 'string',
      describe:
        'ms between checks of the parent pid, 10 to 60000 (default 50; 5000 while a lifeline is held)',
    })
    .option('id', { type: 'string', describe: 'instance name (default: <driver>-<random>)' })
    .option('stop-signal', {
      type: 'string',
      describe: 'command driver: graceful stop signal (default SIGTERM)',
    })
    .option('fast-stop-signal', {
      type: 'string',
      describe: 'command driver: fast stop signal (default SIGKILL)',
    })
    .option('ready-file', { type: 'string', describe: 'command driver: ready when this file exists' })
    .option('ready-port', { type: 'string', describe: 'command driver: ready when 127.0.0.1:PORT accepts' })
    .option('ready-log', {
      type: 'string',
      describe: 'command driver: ready when the server output matches REGEX',
    })
    .option('ready-timeout', { type: 'string', describe: 'ms to wait for readiness (default 30000)' })
    .option('port', {
      type: 'string',
      describe: 'databases: the 127.0.0.1 port besides the private socket (default: a free one)',
    })
    .option('user', { type: 'string', describe: 'databases: the user clients log in as (a superuser)' })
    .option('password', {
      type: 'string',
      describe: 'databases: the password, wanted on the socket too (default: a random one per instance)',
    })
    .option('database', {
      type: 'string',
      describe: 'postgresql, mariadb: a database to create and connect to',
    })
    .option('tls', {
      type: 'boolean',
      describe:
        'databases: TLS on the loopback port, with a certificate made for the instance (needs openssl)',
    })
    .option('auth', {
      type: 'string',
      describe:
        'databases: password (default) or trust: no password on 127.0.0.1, for suites that hard-code one',
    })
    .option('set', {
      type: 'string',
      describe:
        'databases: a server setting KEY=VALUE, repeatable (PostgreSQL -c, MariaDB option, Redis directive)',
    })
    .option('env', {
      type: 'string',
      describe:
        'export the connection under a name a suite reads, NAME=TEMPLATE (repeatable), e.g. TEST_DB_PORT={port}; ' +
        'placeholders {url} {host} {port} {user} {password} {database} {socket} {id}',
    })
    .option('write-env', {
      type: 'string',
      describe: 'write the connection env to FILE once ready (.json: JSON, else dotenv); removed at stop',
    })
    .option('pg-hba', {
      type: 'string',
      describe:
        'postgresql: a client auth (hba) line before ours, repeatable, e.g. "host all app 127.0.0.1/32 md5" ' +
        '(socket and loopback only; trust over TCP only with --auth trust)',
    })
    .option('pg-bin', { type: 'string', describe: 'postgresql: bin dir holding initdb and postgres' })
    .option('pg-version', {
      type: 'string',
      describe:
        'postgresql: the version to run, e.g. 16 or 16.4 (installed, else fetched once) [QUICKDB_WATCHER_PG_VERSION]',
    })
    .option('mysql-bin', { type: 'string', describe: 'mariadb, mysql: bin dir holding mariadbd or mysqld' })
    .option('redis-bin', { type: 'string', describe: 'redis: bin dir holding redis-server' })
    .option('snapshot', {
      type: 'boolean',
      default: true,
      describe: 'databases: clone a cached snapshot data dir (--no-snapshot runs a fresh init)',
    })
    .option('migrate', {
      type: 'string',
      describe: 'up, exec: DIR of .sql migrations, run once per content and cached as a migrated snapshot',
    })
    .option('migrate-command', {
      type: 'string',
      describe: "up, exec: a migration command line (run by sh with the server's env), instead of --migrate",
    })
    .option('migrate-hash', {
      type: 'string',
      describe:
        "up, exec: a file or dir in the project whose contents join the command's cache key (repeatable)",
    })
    .option('pool', {
      type: 'string',
      describe: 'up, exec: per-test databases kept created ahead for `db create` (0 to 32; default 0)',
    });
  // Declared strings stay strings to the parser (it reads strings before numbers); the type is for help only.
  return defined.number(NUMERIC_OPTIONS) as unknown as typeof defined;
}

/** Options whose values are numbers: help says [number], yet they stay strings (declared so too), so the checks
 *  repeat them as typed ("0x10", "1e3" are refused, not read as 16 and 1000). */
const NUMERIC_OPTIONS = ['stop-grace', 'fast-grace', 'poll', 'ready-port', 'ready-timeout', 'port', 'pool'];

export interface InstanceArgs {
  driver?: string;
  'data-dir'?: string;
  'data-on'?: string;
  cleanup?: boolean;
  parent?: string;
  backend?: string;
  'stop-grace'?: string;
  'fast-grace'?: string;
  poll?: string;
  id?: string;
  'stop-signal'?: string;
  'fast-stop-signal'?: string;
  'ready-file'?: string;
  'ready-port'?: string;
  'ready-log'?: string;
  'ready-timeout'?: string;
  port?: string;
  user?: string;
  password?: string;
  database?: string;
  auth?: string;
  tls?: boolean;
  'pg-bin'?: string;
  'pg-version'?: string;
  'mysql-bin'?: string;
  'redis-bin'?: string;
  'pg-hba'?: string | string[];
  set?: string | string[];
  env?: string | string[];
  'write-env'?: string | string[];
  snapshot?: boolean;
  migrate?: string | string[];
  'migrate-command'?: string | string[];
  'migrate-hash'?: string | string[];
  pool?: string | string[];
  '--'?: (string | number)[];
}

/** What the instance is for: run now (`up`, `exec`), or a unit that starts the server on its own (`generate`). */
export type InstancePurpose = 'run' | 'unit';

/** What only a launch does (not a unit, which starts the server without us). */
const LAUNCH_KEYS = ['migrate', 'migrate-command', 'migrate-hash', 'pool', 'env', 'write-env'] as const;

// The instance's parent: the requester when --parent is not given (its finder loaded only then), else the flag's.
async function parseParent(value: string | undefined, requester?: () => number): Promise<number | 'none'> {
  if (value === undefined) return (requester ?? (await import('../api/requester.js')).findRequesterPid)();
  if (value === 'none') return 'none';
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError('--parent', value, 'expected a process id (a whole number above 0) or "none"');
  }
  return Number(value);
}

// A repeatable `--flag KEY=VALUE` as an object; a later KEY wins.
function parsePairs(
  flag: string,
  value: string | string[] | undefined,
  example: string,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const pairs: Record<string, string> = {};
  for (const item of [value].flat()) {
    const at = String(item).indexOf('=');
    if (at < 1) throw new UsageError(flag, item, `expected KEY=VALUE, e.g. ${flag} ${example}`);
    pairs[String(item).slice(0, at)] = String(item).slice(at + 1);
  }
  return pairs;
}

function put<K extends keyof StartOptions>(
  target: StartOptions,
  key: K,
  value: StartOptions[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

// A flag the user should give once: its value, or a UsageError when it was repeated (yargs made it a list).
function readOnce(option: string, value: string | string[] | undefined): string | undefined {
  if (!Array.isArray(value)) return value;
  throw new UsageError(option, value, 'give it once');
}

// The migration and pool options as StartOptions; refused for a unit (it starts the server without us).
async function toMigrationOptions(args: InstanceArgs, purpose: InstancePurpose): Promise<StartOptions> {
  const given = purpose === 'unit' ? LAUNCH_KEYS.find((key) => args[key] !== undefined) : undefined;
  if (given !== undefined)
    throw new UsageError(
      `--${given}`,
      args[given],
      'generate cannot run migrations, fill a pool or export the connection (a unit starts the server on its own); use up or exec',
    );
  const migrate = readOnce('--migrate', args.migrate);
  const command = readOnce('--migrate-command', args['migrate-command']);
  if (migrate !== undefined && command !== undefined)
    throw new UsageError('--migrate-command', command, 'cannot be combined with --migrate; give one of them');
  const pool = readOnce('--pool', args.pool);
  const { POOL_MAX, validateCount } = await import('../api/validate.js');
  const options: StartOptions = {};
  put(options, 'migrate', command !== undefined ? { command } : migrate);
  put(options, 'migrateHash', args['migrate-hash'] === undefined ? undefined : [args['migrate-hash']].flat());
  put(options, 'pool', pool === undefined ? undefined : validateCount('--pool', pool, POOL_MAX));
  return options;
}

// Map parsed CLI arguments to library options; the CLI's parent defaults to the requester, without a lifeline.
export async function toStartOptions(
  args: InstanceArgs,
  requester?: () => number,
  purpose: InstancePurpose = 'run',
): Promise<StartOptions> {
  // Loaded here, not at start-up: `--help`, `--version` and the other commands check no instance options.
  const { validateMs, validatePort } = await import('../api/validate.js');
  // A duration option in whole ms, validated under its own flag name; undefined when not given.
  const parseMs = (key: 'stop-grace' | 'fast-grace' | 'ready-timeout' | 'poll'): number | undefined => {
    const value = args[key];
    if (value === undefined) return undefined;
    return key === 'poll' ? validateMs('--poll', value, 60_000, 10) : validateMs(`--${key}`, value);
  };
  const options: StartOptions = {
    driver: (args.driver ?? DEFAULT_DRIVER) as StartOptions['driver'],
    args: (args['--'] ?? []).map(String),
    cleanup: args.cleanup ?? true,
    parent: await parseParent(args.parent, requester),
    lifeline: false,
    backend: (args.backend ?? 'auto') as StartOptions['backend'],
  };
  put(options, 'dataDir', args['data-dir']);
  put(options, 'dataOn', args['data-on'] as StartOptions['dataOn']);
  put(options, 'id', args.id);
  put(options, 'stopGraceMs', parseMs('stop-grace'));
  put(options, 'fastGraceMs', parseMs('fast-grace'));
  put(options, 'readyTimeoutMs', parseMs('ready-timeout'));
  put(options, 'pollMs', parseMs('poll'));
  put(options, 'stopSignal', args['stop-signal']);
  put(options, 'fastStopSignal', args['fast-stop-signal']);
  put(options, 'readyFile', args['ready-file']);
  put(options, 'readyPort', validatePort('--ready-port', args['ready-port'], { allowZero: false }));
  put(options, 'readyLog', args['ready-log']);
  put(options, 'port', validatePort('--port', args.port));
  put(options, 'user', readOnce('--user', args.user));
  put(options, 'password', readOnce('--password', args.password));
  put(options, 'database', readOnce('--database', args.database));
  put(options, 'auth', readOnce('--auth', args.auth) as StartOptions['auth']);
  put(options, 'tls', args.tls);
  put(options, 'pgBin', args['pg-bin']);
  put(options, 'pgVersion', args['pg-version']);
  put(options, 'mysqlBin', readOnce('--mysql-bin', args['mysql-bin']));
  put(options, 'redisBin', readOnce('--redis-bin', args['redis-bin']));
  put(options, 'pgHba', args['pg-hba'] === undefined ? undefined : [args['pg-hba']].flat());
  put(options, 'settings', parsePairs('--set', args.set, 'wal_level=logical'));
  put(options, 'exportEnv', parsePairs('--env', args.env, 'TEST_DB_PORT={port}'));
  put(options, 'envFile', readOnce('--write-env', args['write-env']));
  put(options, 'snapshot', args.snapshot);
  return { ...options, ...(await toMigrationOptions(args, purpose)) };
}
