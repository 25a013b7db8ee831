// Initialising a MariaDB/MySQL data dir: mariadb-install-db, or mysqld --initialize-insecure; as the service user.
// The result (and so the snapshot) has root on the unix socket only: no account a TCP client could match.
import { mkdirSync } from 'node:fs';
import { runServerTool } from '../run-tool.js';
import { chownTree, type ServiceUser } from '../service-user.js';
import type { MariadbBinaries } from './binaries.js';

// The lines of an installer's output that say what went wrong (else its last lines).
function pickErrorLines(output: string): string {
  const lines = output.trim().split('\n');
  const errors = lines.filter((l) => /\bERROR\b|\[ERROR\]/.test(l));
  return (errors.length > 0 ? errors.slice(0, 10) : lines.slice(-20)).join('\n');
}

// SQL that removes every account but those on localhost (root@127.0.0.1, root@::1, root@<hostname>, anonymous).
function buildSocketOnlySql(version: string): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const users = major > 10 || (major === 10 && minor >= 4) ? 'global_priv' : 'user';
  return [
    `DELETE FROM mysql.${users} WHERE Host <> 'localhost' OR User = '';`,
    "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost' OR User = '';",
  ].join('\n');
}

/** Small redo log: the default (96 MB) would make every clone copy it. Used at init and at start. */
export const INNODB_SIZING = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];

// The init command (also part of the snapshot key).
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
  await runServerTool(
    cmd,
    args,
    // The installer bootstraps with the server chosen, not the one it was built beside (MYSQLD_BOOTSTRAP).
    { user, cwd: '/', env: { TMPDIR: tmpdir, MYSQLD_BOOTSTRAP: bins.server }, details: pickErrorLines },
    `initialising the ${bins.flavor} data dir ${datadir} failed`,
  );
  if (bins.installer) await dropTcpAccounts(bins, datadir, tmpdir, user);
}

// MariaDB: delete the accounts a TCP client could use (a bootstrap run of the server; any error fails the init).
async function dropTcpAccounts(
  bins: MariadbBinaries,
  datadir: string,
  tmpdir: string,
  user: ServiceUser | null,
): Promise<void> {
  const argv = [
    '--no-defaults',
    '--bootstrap',
    `--datadir=${datadir}`,
    `--tmpdir=${tmpdir}`,
    ...INNODB_SIZING,
  ];
  await runServerTool(
    bins.server,
    [...argv, '--skip-networking', '--log-warnings=0'],
    {
      user,
      cwd: '/',
      env: { TMPDIR: tmpdir },
      input: `${buildSocketOnlySql(bins.version)}\n`,
      details: pickErrorLines,
    },
    `removing the TCP accounts of ${datadir} failed`,
  );
}
