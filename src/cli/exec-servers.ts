// Several servers for one `exec`: `exec postgresql … --and redis … -- CMD`. The argv is split at each `--and` before
// `--`; every group is parsed as an `exec` of its own (same options, same checks), and their environments are merged
// under each group's `--env-prefix`, refusing two that would set the same variable.
import { DEFAULT_DRIVER, describeEnvFamily, isDriverName } from '../api/engines.js';
import { UsageError } from '../errors.js';
import type { StartOptions } from '../index.js';

/** The word that starts another server's options. */
export const AND = '--and';

/** One server of an exec: its options, and the prefix its engine variables are exported under. */
export interface ExecServer {
  options: StartOptions;
  prefix: string;
}

/** What `exec` runs: its first server (and the prefix of its variables), CMD, and the servers after `--and`. */
export interface ExecCall extends ExecServer {
  command: 'exec';
  argv: string[];
  more: ExecServer[];
}

// Split exec's argv (without the command name) at each `--and` before `--`: the first group keeps `-- CMD`.
export function splitServerGroups(argv: readonly string[]): { first: string[]; more: string[][] } {
  const end = argv.indexOf('--');
  const head = end === -1 ? [...argv] : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const groups: string[][] = [[]];
  for (const word of head) {
    if (word === AND) groups.push([]);
    else groups.at(-1)?.push(word);
  }
  const [first = [], ...more] = groups;
  return { first: [...first, ...tail], more };
}

/** Which variables a server of each driver sets, by family (the registry's): two unprefixed servers of one family
 *  would clash. A name not yet checked counts as the default driver (its start refuses it later). */
function familyOf(driver: string | undefined): string {
  return describeEnvFamily(driver !== undefined && isDriverName(driver) ? driver : DEFAULT_DRIVER);
}

// Refuse two servers whose variables would clash: same prefix and same family (an SQL pair shares DATABASE_URL).
export function checkEnvClashes(servers: readonly ExecServer[]): void {
  const seen = new Map<string, number>();
  servers.forEach((server, i) => {
    const key = `${server.prefix}\u0000${familyOf(server.options.driver)}`;
    const before = seen.get(key);
    if (before === undefined) {
      seen.set(key, i);
      return;
    }
    throw new UsageError(
      '--env-prefix',
      server.prefix,
      `servers ${before + 1} and ${i + 1} would both set the ${familyOf(server.options.driver)} variables; give ` +
        'one of them its own --env-prefix (e.g. --and postgresql --env-prefix SECOND_), or name what it exports ' +
        'with --env NAME=TEMPLATE',
    );
  });
}

// A server's variables under its prefix (QUICKDB_ID only for the first, unprefixed).
export function prefixEnv(env: Record<string, string>, prefix: string): Record<string, string> {
  if (prefix === '') return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [`${prefix}${k}`, v]));
}
