// The integrations' options, checked and split into one plan per group of servers: the main one and each of `also`
// (extra servers beside it: Redis beside PostgreSQL, a second PostgreSQL), before anything starts.
import { hasPerTestDatabases } from '../api/engines.js';
import { normalizeOptions } from '../api/validate.js';
import { UsageError } from '../errors.js';
import type { StartOptions } from '../index.js';
import { ALSO_NAME, MAX_ALSO } from './handoff.js';
import { hashServerOptions } from './options-key.js';

/** The options of one group of servers: those of startServer, plus how many servers. */
export interface GroupOptions extends StartOptions {
  /** One server for the whole run ("shared"; its per-test databases keep tests apart) or one per worker
   *  ("per-worker"). Default: "shared" for drivers with per-test databases, "per-worker" for a command. */
  servers?: 'shared' | 'per-worker';
}

/** Options of every integration: the main server's (those of startServer, plus `servers`) and `also`. */
export interface IntegrationOptions extends GroupOptions {
  /** Extra servers started beside the main one, bound to the run the same way, by name (a letter, then letters,
   *  digits, `_` or `-`; at most 16): e.g. `{ cache: { driver: 'redis' } }`. A worker reads them as
   *  `server.also.cache`. Each takes its own options and `servers` mode. */
  also?: Record<string, GroupOptions>;
}

/** One group to start: its name (null for the main one), one server or one per worker, and startServer's options. */
export interface ServerPlan {
  name: string | null;
  perWorker: boolean;
  start: StartOptions;
  /** The hash of the checked options (options-key.ts): equal for two groups asking for the same server. */
  key: string;
}

const SERVERS_CHOICES = ['shared', 'per-worker'] as const;

// Check one group's options as startServer will (the driver first; a bad extra fails before the main one starts), and
// its own `servers` (default: shared for drivers with per-test databases, per-worker for a command).
function planGroup(name: string | null, options: GroupOptions): ServerPlan {
  try {
    const { servers, ...start } = options;
    const normalized = normalizeOptions(start);
    const { driver } = normalized;
    if (servers !== undefined && !SERVERS_CHOICES.includes(servers))
      throw new UsageError('servers', servers, `expected one of: ${SERVERS_CHOICES.join(', ')}`);
    const perWorker = (servers ?? (hasPerTestDatabases(driver) ? 'shared' : 'per-worker')) === 'per-worker';
    return { name, perWorker, start, key: hashServerOptions(normalized) };
  } catch (error) {
    if (name === null || !(error instanceof UsageError)) throw error;
    const renamed = error.renamed((option) => `also.${name}.${option}`);
    // A message written whole (an unknown key) does not name the option's place: say it first.
    if (renamed.message !== error.message) throw renamed;
    throw UsageError.fromMessage(`also.${name}: ${error.message}`, renamed.option, error.value, {
      cause: error,
    });
  }
}

// Check `also`: an object of at most MAX_ALSO named groups, each an object of options with no `also` of its own.
function planAlso(also: unknown): ServerPlan[] {
  if (typeof also !== 'object' || also === null || Array.isArray(also))
    throw new UsageError(
      'also',
      also,
      'expected an object of extra servers by name, e.g. { cache: { driver: "redis" } }',
    );
  const entries = Object.entries(also as Record<string, unknown>);
  if (entries.length > MAX_ALSO)
    throw new UsageError('also', Object.keys(also), `expected at most ${MAX_ALSO} extra servers`);
  return entries.map(([name, options]) => {
    if (!ALSO_NAME.test(name))
      throw new UsageError(
        'also',
        name,
        'expected server names of a letter, then up to 23 letters, digits, _ or -',
      );
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      throw new UsageError(
        `also.${name}`,
        options,
        'expected an object of startServer options and `servers`',
      );
    if ('also' in options)
      throw new UsageError(
        `also.${name}.also`,
        options.also,
        'extra servers are named at the top level only',
      );
    return planGroup(name, options as GroupOptions);
  });
}

/** The plans of a run: the main group and each of `also`, every option checked (UsageError naming it, as
 *  `also.NAME.OPTION` for an extra's). */
export function planServers(options: IntegrationOptions): { main: ServerPlan; also: ServerPlan[] } {
  const { also, ...rest } = options;
  return { main: planGroup(null, rest), also: also === undefined ? [] : planAlso(also) };
}
