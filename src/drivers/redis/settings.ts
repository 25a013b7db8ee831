// Redis settings: config directives written into the instance's 0600 config file after our defaults, and the
// listener and auth directives that neither settings nor raw server arguments (`--name value…`) may touch.
import { UsageError } from '../../errors.js';
import { formatSetting, type GuardedName, INSTEAD, refuseGuarded, type Settings } from '../settings.js';

/** Our defaults: no persistence. Each can be overridden. */
const REDIS_DEFAULTS: Readonly<Settings> = { save: '', appendonly: false };

/** Directives (lower case) that open or change a listener or its auth, or read more config. */
const GUARDED: readonly GuardedName[] = [
  { name: 'port', instead: INSTEAD.port },
  { name: 'bind', instead: INSTEAD.port },
  { name: 'protected-mode', instead: INSTEAD.port },
  { name: 'unixsocket', instead: INSTEAD.socket },
  { name: 'unixsocketperm', instead: INSTEAD.socket },
  { name: 'unixsocketgroup', instead: INSTEAD.socket },
  { name: 'requirepass', instead: INSTEAD.auth },
  { name: 'user', instead: INSTEAD.auth },
  { name: 'aclfile', instead: INSTEAD.auth },
  { name: 'tls-', instead: INSTEAD.tls },
  { name: 'include', instead: INSTEAD.config },
  { name: 'dir', instead: INSTEAD.config },
];

// Refuse a directive that is a listener or auth one (`tls-*` included).
function guardName(option: string, given: unknown, name: string): void {
  const n = name.toLowerCase().replaceAll('_', '-');
  refuseGuarded(option, given, name, GUARDED, (g) => (g.endsWith('-') ? n.startsWith(g) : n === g));
}

// Check the settings (done before anything starts).
export function checkRedisSettings(settings: Settings): void {
  for (const [name, value] of Object.entries(settings)) guardName('settings', { [name]: value }, name);
}

// Check raw server arguments: redis-server reads `--name value…` after its config file; anything before the first
// `--name` would join our own last directive, so it is refused.
export function checkRedisArgs(args: readonly string[]): void {
  const first = args[0];
  if (first !== undefined && !String(first).startsWith('--'))
    throw new UsageError('args', args, 'Redis server arguments are directives: --name value…');
  for (const arg of args) {
    const name = /^--(.+)$/.exec(String(arg))?.[1];
    if (name !== undefined) guardName('args', args, name.split('=')[0] ?? name);
  }
}

// The config file's directive lines: our defaults, then the user's settings (a later line wins).
export function buildRedisConfigLines(settings: Settings): string[] {
  return Object.entries({ ...REDIS_DEFAULTS, ...settings }).map(
    ([k, v]) => `${k} ${v === '' ? '""' : formatSetting(v, 'yes', 'no')}`,
  );
}
