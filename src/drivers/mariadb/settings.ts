// MariaDB/MySQL settings: the user's as `--name=value` after our own, and the listener and auth options that neither
// settings nor raw server arguments may touch (mysqld reads `-`/`_` alike, `--loose-`/`--skip-`… prefixes, and may
// take an option by an unambiguous prefix of its name, so a prefix of a guarded name is refused too).
import {
  formatSetting,
  type GuardedName,
  INSTEAD,
  refuseGuarded,
  type Settings,
  walkServerArgs,
} from '../settings.js';

/** mysqld options (lower case, `_` for `-`) that open or change a listener or its auth, or where its config is. */
const GUARDED: readonly GuardedName[] = [
  { name: 'port', instead: INSTEAD.port },
  { name: 'bind_address', instead: INSTEAD.port },
  { name: 'skip_networking', instead: INSTEAD.port },
  { name: 'extra_port', instead: INSTEAD.port },
  { name: 'proxy_protocol_networks', instead: INSTEAD.port },
  { name: 'socket', instead: INSTEAD.socket },
  { name: 'named_pipe', instead: INSTEAD.socket },
  { name: 'shared_memory', instead: INSTEAD.socket },
  { name: 'skip_grant_tables', instead: INSTEAD.auth },
  { name: 'init_file', instead: INSTEAD.auth },
  { name: 'skip_name_resolve', instead: INSTEAD.auth },
  { name: 'ssl', instead: INSTEAD.tls },
  { name: 'tls_version', instead: INSTEAD.tls },
  { name: 'require_secure_transport', instead: INSTEAD.tls },
  { name: 'defaults_file', instead: INSTEAD.config },
  { name: 'defaults_extra_file', instead: INSTEAD.config },
  { name: 'defaults_group_suffix', instead: INSTEAD.config },
  { name: 'no_defaults', instead: INSTEAD.config },
  { name: 'datadir', instead: INSTEAD.config },
];

/** mysqld's short options: the guarded ones (-P port, -S socket, -h datadir), and those that take a value. */
const GUARDED_SHORT: Readonly<Record<string, string>> = { P: 'port', S: 'socket', h: 'datadir' };
const TAKES_VALUE = 'bChLOPSTuW';
/** The prefixes mysqld strips from an option name. */
const PREFIXES = /^(loose_|enable_|disable_|skip_|maximum_)/;

// True when mysqld could read `name` as the guarded option `guard` (itself, a prefix of it, ssl_*).
function readsAs(name: string, guard: string): boolean {
  return name !== '' && (guard.startsWith(name) || (guard === 'ssl' && name.startsWith('ssl_')));
}

// Refuse an option name mysqld could read as a guarded one, with or without its prefixes.
function guardName(option: string, given: unknown, name: string, shown = name): void {
  const n = name.toLowerCase().replaceAll('-', '_');
  const forms = [n, n.replace(/^loose_/, ''), n.replace(/^loose_/, '').replace(PREFIXES, '')];
  refuseGuarded(option, given, shown, GUARDED, (g) => forms.some((f) => readsAs(f, g)));
}

// Check the settings (done before anything starts).
export function checkMariadbSettings(settings: Settings): void {
  for (const [name, value] of Object.entries(settings)) guardName('settings', { [name]: value }, name);
}

// Check raw server arguments: `--name[=value]` and clusters of short options.
export function checkMariadbArgs(args: readonly string[]): void {
  walkServerArgs(args, {
    long: (name) => guardName('args', args, name),
    short: (letter) => {
      const guarded = GUARDED_SHORT[letter];
      if (guarded) guardName('args', args, guarded, `-${letter}`);
    },
    takesValue: TAKES_VALUE,
  });
}

// The settings as mysqld arguments (after our own, so the user's win).
export function buildMariadbSettingArgs(settings: Settings): string[] {
  return Object.entries(settings).map(([k, v]) => `--${k}=${formatSetting(v, 'ON', 'OFF')}`);
}
