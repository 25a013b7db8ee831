// MariaDB's URL as the clients people use read it by default: mysql2 (createConnection, createPool({ uri })), knex and
// the shape Prisma documents; each query proves it reached this instance (its own socket and port), not another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import knex from 'knex';
import mysql from 'mysql2/promise';
import { requireEngine, runCli, startCli, startLib } from './db.js';

interface Identity {
  socket: string;
  port: number;
  db: string | null;
}

const WHO = 'SELECT @@socket AS socket, @@port AS port, DATABASE() AS db';

// Who answered through mysql2's createConnection(url), its createPool({ uri }) and knex({ connection: url }).
async function identifyAll(url: string): Promise<Identity[]> {
  const connection = await mysql.createConnection(url);
  const pool = mysql.createPool({ uri: url, connectionLimit: 1 });
  const k = knex({ client: 'mysql2', connection: url });
  try {
    const [[byConnection]] = (await connection.query(WHO)) as unknown as [Identity[]];
    const [[byPool]] = (await pool.query(WHO)) as unknown as [Identity[]];
    const [[byKnex]] = (await k.raw(WHO)) as [Identity[]];
    return [byConnection, byPool, byKnex].map((r) => ({ ...(r as Identity), port: Number(r?.port) }));
  } finally {
    await Promise.all([connection.end(), pool.end(), k.destroy()]);
  }
}

// The URL as Prisma documents it (mysql://USER:PASSWORD@HOST:PORT/DATABASE): nothing in a query, nothing to escape.
function assertPrismaShape(url: string, env: Record<string, string>, database: string): void {
  const parsed = new URL(url);
  assert.equal(parsed.protocol, 'mysql:');
  assert.equal(parsed.hostname, '127.0.0.1');
  assert.equal(parsed.port, env.MYSQL_TCP_PORT);
  assert.equal(parsed.username, 'root');
  assert.equal(parsed.password, env.MYSQL_PWD);
  assert.match(parsed.password, /^[A-Za-z0-9_-]{32}$/, 'URL-safe: no percent-encoding needed');
  assert.equal(parsed.pathname, `/${database}`);
  assert.equal(parsed.search, '', 'no query parameter a client could ignore and dial localhost:3306 instead');
}

test('mariadb URL: mysql2 and knex as configured by default reach this instance; per-test URLs too', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  await using instance = await startLib(t, 'mariadb');
  const env = instance.env;
  assert.equal(instance.url, env.DATABASE_URL);
  assertPrismaShape(instance.url as string, env, 'test');
  const self = { socket: env.MYSQL_UNIX_PORT, port: Number(env.MYSQL_TCP_PORT) };
  assert.deepEqual(
    await identifyAll(instance.url as string),
    [0, 1, 2].map(() => ({ ...self, db: 'test' })),
  );

  await using db = await instance.createDatabase();
  assertPrismaShape(db.url, db.env, db.name);
  assert.equal(db.env.DATABASE_URL, db.url);
  assert.deepEqual(
    await identifyAll(db.url),
    [0, 1, 2].map(() => ({ ...self, db: db.name })),
  );

  const denied = mysql.createConnection({ host: '127.0.0.1', port: self.port, user: 'root' });
  await assert.rejects(denied, /Access denied/, 'no listener without a password');
});

test('mariadb `db create` URL and `up --format env` reach the instance they name', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const info = await startCli(t, 'mariadb', ['--pool', '1']);
  const created = await runCli(['db', 'create', info.id]);
  assert.equal(created.code, 0, created.stderr);
  const url = created.stdout.trim();
  const name = new URL(url).pathname.slice(1);
  assertPrismaShape(url, info.env, name);
  const self = { socket: info.env.MYSQL_UNIX_PORT, port: Number(info.env.MYSQL_TCP_PORT) };
  assert.deepEqual(
    await identifyAll(url),
    [0, 1, 2].map(() => ({ ...self, db: name })),
  );
  const exported = await runCli(['up', 'mariadb', '--format', 'env', '--parent', String(process.pid)]);
  assert.equal(exported.code, 0, exported.stderr);
  const id = /^export QUICKDB_ID=(\S+)$/m.exec(exported.stdout)?.[1] as string;
  t.after(() => runCli(['kill', id]));
  const envUrl = /^export DATABASE_URL=(\S+)$/m.exec(exported.stdout)?.[1] as string;
  const [who] = await identifyAll(envUrl);
  assert.match(String(who?.socket), new RegExp(`/${id}/sock/mysqld\\.sock$`));
});
