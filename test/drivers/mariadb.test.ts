// MariaDB/MySQL under the watcher: a real server and the mysql2 client, through every way an instance ends.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import mysql from 'mysql2/promise';
import type { Instance, InstanceInfo } from '../../dist/index.js';
import { spawnParent } from '../helpers/instance.js';
import {
  checkShownServer,
  checkSnapshotListed,
  dbOptions,
  readShownServer,
  requireEngine,
  runCli,
  startCli,
  startLib,
  takeFootprint,
  waitFootprintGone,
} from './db.js';

// Connect by the URL (TCP, root with the instance's password), write a row and read it back; returns the version
// the server reports (`SELECT version()`: "10.11.6-MariaDB-0+deb12u1"), up to its first "-".
async function writeAndRead(info: Pick<InstanceInfo, 'url'>, value: string): Promise<string> {
  const db = await mysql.createConnection(info.url as string);
  try {
    await db.query('CREATE DATABASE IF NOT EXISTS app');
    await db.query('CREATE TABLE IF NOT EXISTS app.t (v varchar(64))');
    await db.query('INSERT INTO app.t VALUES (?)', [value]);
    const [rows] = await db.query('SELECT v FROM app.t WHERE v = ?', [value]);
    assert.equal((rows as { v: string }[])[0]?.v, value);
    const [said] = await db.query('SELECT version() AS v');
    return String((said as { v: string }[])[0]?.v).split('-')[0] as string;
  } finally {
    await db.end();
  }
}

test('library: mariadb on a private socket and a loopback port; stop removes the server, dir and socket', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const instance = await startLib(t, 'mariadb');
  assert.match(instance.url as string, /^mysql:\/\/root:[\w-]{32}@127\.0\.0\.1:\d+\/test$/);
  await writeAndRead(instance.info, 'hello');
  const fp = takeFootprint(instance.info, instance.env.MYSQL_UNIX_PORT);
  await instance.stop();
  await waitFootprintGone(fp);
});

test('CLI: up mysql (alias) --port 0; quiet keeps it serving; kill removes everything', async (t) => {
  if (!requireEngine(t, 'mysql')) return;
  const info = await startCli(t, 'mysql', ['--port', '0']);
  assert.equal(info.driver, 'mysql');
  assert.equal((await runCli(['quiet', info.id])).code, 0);
  assert.equal(info.server?.version, await writeAndRead(info, 'tcp'), 'up --format json: server.version');
  const fp = takeFootprint(info, info.env.MYSQL_UNIX_PORT);
  const killed = await runCli(['kill', info.id]);
  assert.equal(killed.code, 0, killed.stderr);
  await waitFootprintGone(fp);
});

test('CLI: up, status, list (text and --json) and snapshots list name "mariadb" and the version the server reports', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const shown = await readShownServer(t, 'mariadb');
  const says = `mariadb ${await writeAndRead(shown, 'version')}`;
  checkShownServer(shown.shown, says);
  await checkSnapshotListed(shown.snapshot, says);
});

test('stop with keep keeps the data; parallel clones work; parent SIGKILL stops the server', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const [kept, other] = await Promise.all([startLib(t, 'mariadb'), startLib(t, 'mariadb')]);
  await Promise.all([writeAndRead(kept.info, 'a'), writeAndRead(other.info, 'b')]);
  const fpKept = takeFootprint(kept.info);
  const fpOther = takeFootprint(other.info);
  await Promise.all([kept.stop({ keep: true }), other.eliminate()]);
  await Promise.all([waitFootprintGone(fpKept, true), waitFootprintGone(fpOther)]);
  const { child, info } = await spawnParent(t, dbOptions('mariadb'));
  await writeAndRead(info, 'orphan');
  const fp = takeFootprint(info, info.env.MYSQL_UNIX_PORT);
  child.kill('SIGKILL');
  await waitFootprintGone(fp);
});

test('the data dir (so the snapshot) has no account a TCP client could match; each start gives root its password', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  // The root accounts and their password hashes, read on the socket (root@localhost has the password there too).
  const accounts = async (instance: Instance): Promise<string[]> => {
    const db = await mysql.createConnection({
      socketPath: instance.env.MYSQL_UNIX_PORT as string,
      user: 'root',
      password: instance.env.MYSQL_PASSWORD as string,
    });
    const [rows] = await db.query(
      "SELECT CONCAT(User, '@', Host, ' ', authentication_string) AS who FROM mysql.user WHERE User = 'root' OR Host <> 'localhost' ORDER BY Host",
    );
    await db.end();
    return (rows as { who: string }[]).map((r) => r.who);
  };
  const hash = (password: string): string =>
    `*${createHash('sha1').update(createHash('sha1').update(password).digest()).digest('hex').toUpperCase()}`;
  const [plain, fixed] = await Promise.all([startLib(t, 'mariadb'), startLib(t, 'mariadb', { port: 0 })]);
  try {
    // Clones of one snapshot, each with only the account its own init file made: the snapshot carries none.
    for (const instance of [plain, fixed])
      assert.deepEqual(await accounts(instance), [
        `root@127.0.0.1 ${hash(String(instance.env.MYSQL_PWD))}`,
        `root@localhost ${hash(String(instance.env.MYSQL_PWD))}`,
      ]);
    assert.notEqual(plain.env.MYSQL_PWD, fixed.env.MYSQL_PWD);
  } finally {
    await Promise.all([plain.eliminate(), fixed.eliminate()]);
  }
});
