// Root over TCP needs the instance's password: an --init-file (0600, read by the server before it accepts anyone)
// creates root@127.0.0.1 with it; the data dir itself has no TCP account, so if the file fails the door stays shut.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writePrivateFile } from '../network.js';
import type { ServiceUser } from '../service-user.js';

const TCP_ROOT = "'root'@'127.0.0.1'";

// The mysql_native_password hash of a password ("*" and the upper-case hex of SHA1(SHA1(password)).
function hashNativePassword(password: string): string {
  const inner = createHash('sha1').update(password).digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

// The init-file SQL: replace root@127.0.0.1 (a reused data dir's, with its old password) by one with `password`;
// root@::1 goes too (an older installer's, without a password).
// MariaDB gets the hash, so even an error echoed into the server log cannot show the password.
function buildTcpRootSql(flavor: 'mariadb' | 'mysql', password: string): string {
  const identified =
    flavor === 'mariadb'
      ? `IDENTIFIED BY PASSWORD '${hashNativePassword(password)}'`
      : `IDENTIFIED BY '${password}'`;
  return [
    `DROP USER IF EXISTS ${TCP_ROOT}, 'root'@'::1';`,
    `CREATE USER ${TCP_ROOT} ${identified};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${TCP_ROOT} WITH GRANT OPTION;`,
    '',
  ].join('\n');
}

// Write the init file into the server's private dir (0600, owned by the server's user); returns its path.
export function writeTcpRootInit(
  dir: string,
  flavor: 'mariadb' | 'mysql',
  password: string,
  user: ServiceUser | null,
): string {
  const path = join(dir, 'tcp-root.sql');
  writePrivateFile(path, buildTcpRootSql(flavor, password), user);
  return path;
}
