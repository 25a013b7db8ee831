// MariaDB/MySQL binaries: the server (mariadbd or mysqld) and its installer, from --mysql-bin, PATH or the usual sbin
// dirs.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError, UsageError } from '../../errors.js';
import { findExecutable, listPathDirs } from '../../state/process/executables.js';
import { readVersionLine } from '../../state/process/tool-version.js';
import { findInBinDir } from '../bin-dir.js';

export type MariadbSource = 'mysql-bin' | 'PATH' | 'system';

export interface MariadbBinaries {
  /** The server's real path (a link in a bin dir resolved: the snapshot key names the build actually run). */
  server: string;
  /** mariadb-install-db / mysql_install_db (real path), or null (MySQL: the server initialises itself). */
  installer: string | null;
  flavor: 'mariadb' | 'mysql';
  version: string;
  source: MariadbSource;
}

const SERVERS = ['mariadbd', 'mysqld'];
const INSTALLERS = ['mariadb-install-db', 'mysql_install_db'];
const SYSTEM_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/libexec', '/usr/local/mysql/bin'];

/** Where the server was found, and the dirs its installer is looked for in. */
interface Found {
  server: string;
  source: MariadbSource;
  installerDirs: string[];
}

// The server: in --mysql-bin (its installer there, in ../bin as /usr lays it out, or ../scripts as MariaDB's
// tarballs do), else on PATH, else in the usual sbin dirs; null when none has it.
function findServer(mysqlBin: string | undefined, env: NodeJS.ProcessEnv): Found | null {
  if (mysqlBin !== undefined) {
    const expected = 'expected a MariaDB/MySQL bin dir holding mariadbd or mysqld, such as /usr/sbin';
    const server = findInBinDir('mysqlBin', mysqlBin, SERVERS, expected);
    const installerDirs = [mysqlBin, join(mysqlBin, '..', 'bin'), join(mysqlBin, '..', 'scripts')];
    return { server, source: 'mysql-bin', installerDirs };
  }
  const installerDirs = [...listPathDirs(env), ...SYSTEM_DIRS];
  const onPath = findExecutable(SERVERS, listPathDirs(env));
  if (onPath) return { server: onPath, source: 'PATH', installerDirs };
  const system = findExecutable(SERVERS, SYSTEM_DIRS);
  return system ? { server: system, source: 'system', installerDirs } : null;
}

// MariaDB's installer beside the server; a missing one is a usage error when --mysql-bin named the place.
function findInstaller(found: Found, mysqlBin: string | undefined): string {
  const installer = findExecutable(INSTALLERS, found.installerDirs);
  if (installer) return realpathSync(installer);
  if (mysqlBin !== undefined) {
    throw new UsageError(
      'mysqlBin',
      mysqlBin,
      `MariaDB's mariadb-install-db (or mysql_install_db) is in neither that dir, its ../bin nor its ../scripts (the server is ${found.server})`,
    );
  }
  throw new QuickdbError(`MariaDB's mariadb-install-db was not found (the server is ${found.server})`, {
    details: 'Install the full server package: `apt-get install mariadb-server`; or pass --mysql-bin DIR.',
  });
}

// Find the server and how to initialise a data dir; a bad --mysql-bin is a UsageError, nothing found says what to
// install.
export function findMariadbBinaries(
  mysqlBin: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MariadbBinaries {
  const found = findServer(mysqlBin, env);
  if (!found) {
    throw new QuickdbError('MariaDB/MySQL was not found: no mariadbd or mysqld on PATH or in /usr/sbin', {
      details:
        'Install it: `apt-get install mariadb-server` (Debian/Ubuntu) or `brew install mariadb` (macOS); ' +
        'or pass --mysql-bin DIR.',
    });
  }
  const server = realpathSync(found.server);
  const line = readVersionLine(server);
  const flavor = /mariadb/i.test(line) ? 'mariadb' : 'mysql';
  const version = /Ver\s+(\d+(?:\.\d+)*)/.exec(line)?.[1] ?? 'unknown';
  const installer = flavor === 'mariadb' ? findInstaller(found, mysqlBin) : null;
  return { server, installer, flavor, version, source: found.source };
}
