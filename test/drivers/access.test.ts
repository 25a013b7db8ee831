// Who connects, as testcontainers users set it: a chosen user, password and database per engine (the password wanted
// on the socket too), auth 'trust' only when asked for by name (with a warning, visible in status), and the env
// table each engine exports.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { expectRefused } from '../helpers/refused.js';
import { requireEngine, requirePostgres, runCli, startCli, startLib } from './db.js';

// Send raw RESP lines to a Redis port and collect the replies until the server has answered `count` of them.
function sendRedis(port: number, lines: string, count = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
      if (text.split('\r\n').length > count) socket.end(() => resolve(text));
    });
    socket.on('error', reject);
    socket.write(lines);
  });
}

/** A password with every character a URL, a config file or SQL could stumble on. */
const AWKWARD = `p@ss w/rd:"x'y\\z#?%&=`;

// Connect with pg and say who and where we are; the error message when refused.
async function whoamiPg(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SELECT current_user AS u, current_database() AS d');
    return `${rows[0].u}/${rows[0].d}`;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

test('postgresql: a chosen user, password and database, in the URL (encoded) and PG*; wanted on the socket too', async (t) => {
  if (!requirePostgres(t)) return;
  const instance = await startLib(t, 'postgresql', { user: 'alice', password: AWKWARD, database: 'app' });
  const env = instance.env;
  assert.deepEqual(Object.keys(env).sort(), [
    'DATABASE_URL',
    'PGDATABASE',
    'PGHOST',
    'PGPASSWORD',
    'PGPORT',
    'PGUSER',
  ]);
  assert.deepEqual(
    [env.PGHOST, env.PGUSER, env.PGDATABASE, env.PGPASSWORD],
    ['127.0.0.1', 'alice', 'app', AWKWARD],
  );
  assert.equal(instance.url, `postgresql://alice:${encodeURIComponent(AWKWARD)}@127.0.0.1:${env.PGPORT}/app`);
  assert.equal(instance.info.auth, 'password');
  assert.equal(await whoamiPg({ connectionString: instance.url }), 'alice/app');
  const socket = {
    host: join(instance.info.stateDir, 'sock'),
    port: Number(env.PGPORT),
    user: 'alice',
    database: 'app',
  };
  assert.equal(await whoamiPg({ ...socket, password: AWKWARD }), 'alice/app');
  assert.match(await whoamiPg({ ...socket, password: 'wrong' }), /refused: password authentication failed/);
  assert.match(
    await whoamiPg({ ...socket, user: 'postgres', password: 'wrong' }),
    /refused: password authentication failed/,
  );
  const tcp = { host: '127.0.0.1', port: Number(env.PGPORT), user: 'alice', database: 'app' };
  assert.match(await whoamiPg({ ...tcp, password: 'wrong' }), /refused: password authentication failed/);
  await instance.stop();
});

test('postgresql: by default the socket trusts and TCP wants the random password', async (t) => {
  if (!requirePostgres(t)) return;
  const instance = await startLib(t, 'postgresql');
  const port = Number(instance.env.PGPORT);
  assert.match(instance.url as string, /^postgresql:\/\/postgres:[\w-]{32}@127\.0\.0\.1:\d+\/postgres$/);
  assert.equal(
    await whoamiPg({ host: join(instance.info.stateDir, 'sock'), port, user: 'postgres' }),
    'postgres/postgres',
  );
  assert.match(await whoamiPg({ host: '127.0.0.1', port, user: 'postgres', password: 'wrong' }), /refused/);
  await instance.stop();
});

test('mariadb: a chosen user, password and database; MYSQL_* as mysql2 and the CLI read them; localhost accounts work over TCP', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const instance = await startLib(t, 'mariadb', { user: 'bob', password: AWKWARD, database: 'test' });
  const env = instance.env;
  const keys = ['DATABASE_URL', 'MYSQL_DATABASE', 'MYSQL_HOST', 'MYSQL_PASSWORD', 'MYSQL_PORT', 'MYSQL_PWD'];
  assert.deepEqual(Object.keys(env).sort(), [...keys, 'MYSQL_TCP_PORT', 'MYSQL_UNIX_PORT', 'MYSQL_USER']);
  assert.deepEqual([env.MYSQL_USER, env.MYSQL_DATABASE, env.MYSQL_PASSWORD], ['bob', 'test', AWKWARD]);
  assert.equal(instance.url, `mysql://bob:${encodeURIComponent(AWKWARD)}@127.0.0.1:${env.MYSQL_PORT}/test`);
  const byUrl = await mysql.createConnection(instance.url as string);
  const [rows] = await byUrl.query('SELECT CURRENT_USER() AS u, DATABASE() AS d');
  assert.deepEqual(rows, [{ u: 'bob@%', d: 'test' }]);
  // A suite's own 'user'@'localhost' account reaches the server over TCP from 127.0.0.1, as on a stock server.
  await byUrl.query("CREATE USER 'suite'@'localhost' IDENTIFIED BY 'pw'");
  await byUrl.query("GRANT ALL ON *.* TO 'suite'@'localhost'");
  await byUrl.end();
  const port = Number(env.MYSQL_PORT);
  const suite = await mysql.createConnection({ host: '127.0.0.1', port, user: 'suite', password: 'pw' });
  assert.deepEqual((await suite.query('SELECT CURRENT_USER() AS u'))[0], [{ u: 'suite@localhost' }]);
  await suite.end();
  const refused = (options: mysql.ConnectionOptions) =>
    mysql.createConnection(options).then(
      async (c) => {
        await c.end();
        return 'connected';
      },
      (e: Error) => e.message,
    );
  const socketPath = env.MYSQL_UNIX_PORT as string;
  assert.match(await refused({ socketPath, user: 'bob', password: 'wrong' }), /Access denied/);
  assert.match(await refused({ socketPath, user: 'root' }), /Access denied/);
  assert.match(await refused({ host: '127.0.0.1', port, user: 'root' }), /Access denied/);
  await instance.stop();
});

test('redis: a chosen password with quotes, spaces and backslashes works; user and database are refused', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const instance = await startLib(t, 'redis', { password: AWKWARD });
  const env = instance.env;
  assert.deepEqual(Object.keys(env).sort(), [
    'REDISCLI_AUTH',
    'REDIS_HOST',
    'REDIS_PASSWORD',
    'REDIS_PORT',
    'REDIS_SOCKET',
    'REDIS_URL',
  ]);
  const client = new Redis(instance.url as string, { lazyConnect: true });
  await client.connect();
  assert.equal(await client.ping(), 'PONG');
  client.disconnect();
  // Plain RESP over TCP: a wrong password is refused, and nothing runs without one.
  assert.match(
    await sendRedis(Number(env.REDIS_PORT), 'AUTH default wrong\r\nPING\r\n'),
    /^-WRONGPASS.*\r\n-NOAUTH/s,
  );
  await instance.stop();
  await expectRefused(t, { driver: 'redis', user: 'bob' });
  await expectRefused(t, { driver: 'redis', database: 'app' });
});

test('bad access options are refused before anything starts, naming the option', async (t) => {
  for (const [options, option] of [
    [{ user: 'a b' }, 'user'],
    [{ user: 'x"; DROP ROLE postgres; --' }, 'user'],
    [{ database: 'app-1' }, 'database'],
    [{ password: '' }, 'password'],
    [{ password: 'line\nbreak' }, 'password'],
    [{ password: 'x'.repeat(129) }, 'password'],
    [{ auth: 'none' }, 'auth'],
    [{ auth: 'trust', password: 'x' }, 'password'],
    [{ driver: 'command', args: ['true'], user: 'bob' }, 'user'],
    [{ driver: 'command', args: ['true'], auth: 'trust' }, 'auth'],
  ] as const) {
    const error = await expectRefused(t, options);
    assert.equal(error.option, option, JSON.stringify(options));
  }
});

test('CLI: --auth trust opens 127.0.0.1 with no password, warns on stderr, and status/list --json say trust', async (t) => {
  if (!requirePostgres(t)) return;
  const result = await runCli(['up', '--format', 'json', '--parent', String(process.pid), '--auth', 'trust']);
  assert.equal(result.code, 0, result.stderr);
  const info = JSON.parse(result.stdout) as {
    id: string;
    url: string;
    env: Record<string, string>;
    auth: string;
  };
  t.after(() => runCli(['kill', info.id]));
  assert.match(
    result.stderr,
    /warning: .* takes anyone on 127\.0\.0\.1:\d+ without a password \(auth 'trust'\)/,
  );
  assert.equal(info.auth, 'trust');
  assert.equal(info.env.PGPASSWORD, undefined);
  assert.match(info.url, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  assert.equal(
    await whoamiPg({ host: '127.0.0.1', port: Number(info.env.PGPORT), user: 'postgres' }),
    'postgres/postgres',
  );
  const status = JSON.parse((await runCli(['status', info.id, '--json'])).stdout) as { auth: string };
  assert.equal(status.auth, 'trust');
  const list = JSON.parse((await runCli(['list', '--json'])).stdout) as { id: string; auth: string }[];
  assert.equal(list.find((i) => i.id === info.id)?.auth, 'trust');
  const refused = await runCli(['up', '--parent', 'none', '--auth', 'trust', '--password', 'x']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--password: "x" is not valid: cannot be combined with --auth trust/);
});

test('auth trust: mariadb root and redis take a client with no password on 127.0.0.1', async (t) => {
  if (!requireEngine(t, 'mariadb', 'redis')) return;
  const maria = await startCli(t, 'mariadb', ['--auth', 'trust']);
  const db = await mysql.createConnection({
    host: '127.0.0.1',
    port: Number(maria.env.MYSQL_PORT),
    user: 'root',
  });
  assert.deepEqual((await db.query('SELECT 1 AS one'))[0], [{ one: 1 }]);
  await db.end();
  const redis = await startCli(t, 'redis', ['--auth', 'trust']);
  assert.equal(redis.env.REDIS_PASSWORD, undefined);
  const client = new Redis(Number(redis.env.REDIS_PORT), '127.0.0.1', { lazyConnect: true });
  await client.connect();
  assert.equal(await client.ping(), 'PONG');
  client.disconnect();
  for (const info of [maria, redis]) assert.equal((await runCli(['kill', info.id])).code, 0);
});
