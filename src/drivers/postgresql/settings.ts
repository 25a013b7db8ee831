// PostgreSQL settings: our throwaway defaults, the user's settings as `-c name=value`, and the listener and auth
// settings that neither settings nor raw server arguments may touch.
import {
  formatSetting,
  type GuardedName,
  INSTEAD,
  refuseGuarded,
  type Settings,
  walkServerArgs,
} from '../settings.js';

/** Our defaults for a throwaway cluster: no durability (synchronous_commit stays on: with fsync off, turning it off
 *  bought nothing, bench/RESULTS.md), shared memory that an immediate shutdown releases. Each can be overridden. */
const PG_DEFAULTS: Readonly<Settings> = {
  fsync: false,
  full_page_writes: false,
  shared_memory_type: 'mmap',
  dynamic_shared_memory_type: 'mmap',
  password_encryption: 'scram-sha-256',
};

/** GUCs (lower case, `_` for `-`) that open or change a listener or its auth. */
const GUARDED: readonly GuardedName[] = [
  { name: 'listen_addresses', instead: INSTEAD.port },
  { name: 'port', instead: INSTEAD.port },
  { name: 'unix_socket_directories', instead: INSTEAD.socket },
  { name: 'unix_socket_group', instead: INSTEAD.socket },
  { name: 'unix_socket_permissions', instead: INSTEAD.socket },
  { name: 'hba_file', instead: INSTEAD.auth },
  { name: 'ident_file', instead: INSTEAD.auth },
  { name: 'krb_server_keyfile', instead: INSTEAD.auth },
  { name: 'ssl', instead: INSTEAD.tls },
  { name: 'config_file', instead: INSTEAD.config },
  { name: 'data_directory', instead: INSTEAD.config },
];

/** postgres's short options that set a listener (or where its config lives), and those that take a value. */
const GUARDED_SHORT: Readonly<Record<string, string>> = {
  h: 'listen_addresses',
  i: 'listen_addresses',
  k: 'unix_socket_directories',
  l: 'ssl',
  p: 'port',
  D: 'data_directory',
};
const TAKES_VALUE = 'BcCdDhkNprSt';

// A GUC name as PostgreSQL matches it: case-insensitive, "-" the same as "_".
const normalize = (name: string): string => name.toLowerCase().replaceAll('-', '_');

// Refuse a GUC that is a listener or auth setting (`ssl_*` included).
function guardName(option: string, given: unknown, name: string, shown = name): void {
  const n = normalize(name);
  refuseGuarded(option, given, shown, GUARDED, (g) => n === g || (g === 'ssl' && n.startsWith('ssl_')));
}

// Check the settings (done before anything starts).
export function checkPgSettings(settings: Settings): void {
  for (const [name, value] of Object.entries(settings)) guardName('settings', { [name]: value }, name);
}

// Check raw server arguments: `-c name=value`, `--name=value`, and the short options that set a listener.
export function checkPgArgs(args: readonly string[]): void {
  walkServerArgs(args, {
    long: (name) => guardName('args', args, name),
    short: (letter, value) => {
      const guarded = GUARDED_SHORT[letter];
      if (guarded) guardName('args', args, guarded, `-${letter}`);
      if (letter === 'c') guardName('args', args, value?.split('=')[0] ?? '');
    },
    takesValue: TAKES_VALUE,
  });
}

// Our defaults, then the user's settings (a later name wins), each value in PostgreSQL's words.
function listPgSettings(settings: Settings): [string, string][] {
  return Object.entries({ ...PG_DEFAULTS, ...settings }).map(([k, v]) => [k, formatSetting(v, 'on', 'off')]);
}

// A value in postgresql.conf syntax: single-quoted, quotes doubled and backslashes escaped.
function quoteConf(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

// Our config file: the cluster's own postgresql.conf, then our defaults and the user's settings. It is read as the
// config file (`-c config_file`), so postgresql.auto.conf (ALTER SYSTEM) still overrides any of these, as it does on
// a server set up by hand; only the listener and its auth are pinned on the command line.
export function buildPgConfig(pgdata: string, settings: Settings): string {
  const lines = listPgSettings(settings).map(([k, v]) => `${k} = ${quoteConf(v)}`);
  return [
    '# Written by quickdb-watcher at each start.',
    `include_if_exists = ${quoteConf(`${pgdata}/postgresql.conf`)}`,
    ...lines,
    '',
  ].join('\n');
}

// Our defaults and the settings as `-c` arguments (the bench's floor runs the same server by hand).
export function buildPgSettingArgs(settings: Settings): string[] {
  return listPgSettings(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}
