// initdb for a throwaway cluster: trust auth, user postgres, C locale, no fsync; run as the service user when root.
import { mkdirSync } from 'node:fs';
import { runServerTool } from '../run-tool.js';
import type { ServiceUser } from '../service-user.js';
import { chownTree } from '../service-user.js';
import type { PgBinaries } from './binaries.js';

export const PG_USER = 'postgres';
export const PG_DATABASE = 'postgres';

// The initdb flags (also part of the snapshot key: a change makes a new snapshot); 1 MB WAL segments keep
// the snapshot small (28 MB instead of 39 MB), which is most of the clone time.
export function buildInitdbArgs(): string[] {
  return [
    `--username=${PG_USER}`,
    '--auth=trust',
    '--encoding=UTF8',
    '--no-locale',
    '--no-sync',
    '--wal-segsize=1',
  ];
}

// Initialise a cluster at `pgdata` (which must not exist), owned by `user` when given.
export async function runInitdb(bins: PgBinaries, pgdata: string, user: ServiceUser | null): Promise<void> {
  mkdirSync(pgdata, { mode: 0o700 });
  chownTree(pgdata, user);
  await runServerTool(
    bins.initdb,
    ['-D', pgdata, ...buildInitdbArgs()],
    { user, cwd: pgdata, env: { LC_ALL: 'C', LANG: 'C' }, extendEnv: true },
    `initdb failed for ${pgdata}`,
  );
}
