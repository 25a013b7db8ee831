// MariaDB/MySQL binaries: the server (mariadbd or mysqld) and its installer, from PATH and the usual sbin dirs.
import { QuickdbError } from '../../errors.js';
import { findExecutable, listPathDirs } from '../../state/executables.js';
import { readVersionLine } from '../../state/tool-version.js';

export interface MariadbBinaries {
  server: string;
  /** mariadb-install-db / mysql_install_db, or null (MySQL: the server initialises itself). */
  installer: string | null;
  flavor: 'mariadb' | 'mysql';
  version: string;
}

function listSearchDirs(env: NodeJS.ProcessEnv): string[] {
  return [...listPathDirs(env), '/usr/sbin', '/usr/local/sbin', '/usr/libexec', '/usr/local/mysql/bin'];
}

// Find the server and how to initialise a data dir; says what to install when missing.
export function findMariadbBinaries(env: NodeJS.ProcessEnv = process.env): MariadbBinaries {
  const dirs = listSearchDirs(env);
  const server = findExecutable(['mariadbd', 'mysqld'], dirs);
  if (!server) {
    throw new QuickdbError('MariaDB/MySQL was not found: no mariadbd or mysqld on PATH or in /usr/sbin', {
      details:
        'Install it: `apt-get install mariadb-server` (Debian/Ubuntu) or `brew install mariadb` (macOS).',
    });
  }
  const line = readVersionLine(server);
  const flavor = /mariadb/i.test(line) ? 'mariadb' : 'mysql';
  const version = /Ver\s+(\d+(?:\.\d+)*)/.exec(line)?.[1] ?? 'unknown';
  const installer =
    flavor === 'mariadb' ? findExecutable(['mariadb-install-db', 'mysql_install_db'], dirs) : null;
  if (flavor === 'mariadb' && !installer) {
    throw new QuickdbError(`MariaDB's mariadb-install-db was not found (the server is ${server})`, {
      details: 'Install the full server package: `apt-get install mariadb-server`.',
    });
  }
  return { server, installer, flavor, version };
}
