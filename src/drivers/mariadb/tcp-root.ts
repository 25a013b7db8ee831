// The instance's account, set at each start by an --init-file (0600, read by the server before it accepts anyone):
// root@127.0.0.1 (the data dir itself has no TCP account, so if the file fails the door stays shut) and
// root@localhost get the instance's password (with name resolution on, a loopback client may be matched as
// localhost); a chosen user is created for every host; a chosen database is created if missing.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Account } from '../access.js';
import { writePrivateFile } from '../network.js';
import type { ServiceUser } from '../service-user.js';

export const TCP_ROOT = "'root'@'127.0.0.1'";
export const LOCAL_ROOT = "'root'@'localhost'";

// The mysql_native_password hash of a password ("*" and the upper-case hex of SHA1(SHA1(password)).
function hashNativePassword(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

// A string literal for MySQL (which takes no hash in IDENTIFIED BY PASSWORD for its default plugin).
export function quoteSql(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

// How an account is identified: MariaDB gets the hash, so even an error echoed into the server log cannot show the
// password; none under auth 'trust'.
function identify(flavor: 'mariadb' | 'mysql', password: string | null): string {
  if (password === null) return "IDENTIFIED BY ''";
  return flavor === 'mariadb'
    ? `IDENTIFIED BY PASSWORD '${hashNativePassword(password)}'`
    : `IDENTIFIED BY ${quoteSql(password)}`;
}

// The init-file SQL: root@127.0.0.1 replaced (a reused data dir's, with its old password; root@::1 goes too, an
// older installer's), root@localhost given the password, then the chosen user and database.
function buildAccountSql(flavor: 'mariadb' | 'mysql', account: Account): string {
  const identified = identify(flavor, account.password);
  const lines = [
    `DROP USER IF EXISTS ${TCP_ROOT}, 'root'@'::1';`,
    `CREATE USER ${TCP_ROOT} ${identified};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${TCP_ROOT} WITH GRANT OPTION;`,
    `ALTER USER ${LOCAL_ROOT} ${identified};`,
  ];
  if (account.user !== 'root') {
    const user = `'${account.user}'@'%'`;
    lines.push(`DROP USER IF EXISTS ${user};`, `CREATE USER ${user} ${identified};`);
    lines.push(`GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`);
  }
  if (account.database !== null) lines.push(`CREATE DATABASE IF NOT EXISTS \`${account.database}\`;`);
  return `${lines.join('\n')}\n`;
}

// Write the init file into the server's private dir (0600, owned by the server's user); returns its path.
export function writeAccountInit(
  dir: string,
  flavor: 'mariadb' | 'mysql',
  account: Account,
  user: ServiceUser | null,
): string {
  const path = join(dir, 'account.sql');
  writePrivateFile(path, buildAccountSql(flavor, account), user);
  return path;
}
