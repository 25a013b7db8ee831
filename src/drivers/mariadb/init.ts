// Initialising a MariaDB/MySQL data dir: mariadb-install-db, or mysqld --initialize-insecure; as the service user.
import { mkdirSync } from 'node:fs';
import { execa } from 'execa';
import { QuickdbError } from '../../errors.js';
import { chownTree, type ServiceUser } from '../service-user.js';
import type { MariadbBinaries } from './binaries.js';

// The lines of an installer's output that say what went wrong (else its last lines).
function pickErrorLines(output: string): string {
  const lines = output.trim().split('\n');
  const errors = lines.filter((l) => /\bERROR\b|\[ERROR\]/.test(l));
  return (errors.length > 0 ? errors.slice(0, 10) : lines.slice(-20)).join('\n');
}

/** Small redo log: the default (96 MB) would make every clone copy it. Used at init and at start. */
export const INNODB_SIZING = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];

// The init command (also part of the template key).
export function buildInitArgv(bins: MariadbBinaries, datadir: string): string[] {
  if (bins.installer) {
    return [
      bins.installer,
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...INNODB_SIZING,
    ];
  }
  return [bins.server, '--no-defaults', '--initialize-insecure', `--datadir=${datadir}`, ...INNODB_SIZING];
}

// Initialise `datadir` (which must not exist yet) owned by `user` when given; temp files go to `tmpdir`.
export async function runMariadbInit(
  bins: MariadbBinaries,
  datadir: string,
  tmpdir: string,
  user: ServiceUser | null,
): Promise<void> {
  // Both mariadb-install-db and mysqld --initialize accept an empty dir.
  mkdirSync(datadir, { mode: 0o700 });
  chownTree(datadir, user);
  const [cmd, ...args] = buildInitArgv(bins, datadir) as [string, ...string[]];
  const result = await execa(cmd, args, {
    reject: false,
    all: true,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    cwd: '/',
    env: { TMPDIR: tmpdir },
  });
  if (result.exitCode !== 0) {
    throw new QuickdbError(
      `initialising the ${bins.flavor} data dir ${datadir} failed (exit ${result.exitCode})`,
      {
        details: pickErrorLines(String(result.all ?? '')),
      },
    );
  }
}
