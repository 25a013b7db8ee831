// No open door: with --port every engine needs the instance's random password; another local user (nobody) is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DriverName, Instance, InstanceInfo } from '../../dist/index.js';
import { requireEngine, runCli, startLib } from '../drivers/db.js';
import { requireOrSkip } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { assertSecretKept, passwordOf } from './secret-checks.js';
import { hasCommand, runAsNobody, startCmdlineSampler } from './secret-scan.js';

// Skip unless we can act as nobody with the engine's command-line client.
function canAttack(t: TestContext, client: string): boolean {
  const ok = process.getuid?.() === 0 && hasCommand('setpriv') && hasCommand(client);
  return requireOrSkip(t, ok, `root, setpriv and ${client} (to connect as the user nobody)`);
}

// Start with --port 0 while sampling every command line on the machine, run `body`, then stop the instance cleanly.
async function withTcpInstance(
  t: TestContext,
  driver: DriverName,
  body: (info: InstanceInfo, cmdlines: string[]) => Promise<void>,
): Promise<void> {
  const sampler = startCmdlineSampler();
  let instance: Instance;
  try {
    instance = await startLib(t, driver, { port: 0 });
  } finally {
    sampler.stop();
  }
  try {
    await body(instance.info, sampler.stop());
  } finally {
    await instance.eliminate().catch(() => {});
  }
}

test('postgresql --port: nobody is refused without or with a wrong password; URL and PG* env work', async (t) => {
  if (!canAttack(t, 'psql')) return;
  await withTcpInstance(t, 'postgresql', async (info, cmdlines) => {
    const port = info.env.PGPORT as string;
    const psql = (user: string, env: Record<string, string> = {}, host = '127.0.0.1') =>
      runAsNobody(
        ['psql', '-X', '-w', '-h', host, '-p', port, '-U', user, '-d', 'postgres', '-tAc', 'SELECT 42'],
        env,
      );
    const open = psql('postgres');
    assert.doesNotMatch(open.out, /^42$/m, 'no password: refused');
    assert.match(open.out, /password/);
    const wrong = psql('postgres', { PGPASSWORD: 'wrong-password' });
    assert.match(wrong.out, /password authentication failed/);
    assert.match(psql('nobody', { PGPASSWORD: 'x' }).out, /password authentication failed|does not exist/);
    assert.match(
      psql('postgres', {}, join(info.stateDir, 'sock')).out,
      /Permission denied/,
      'socket dir closed',
    );
    const password = passwordOf(info, 'PGPASSWORD');
    assert.match(info.url as string, /^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    assert.equal(psql('postgres', { PGPASSWORD: password }).out, '42', 'with the password nobody gets in');
    for (const config of [{ connectionString: info.url }, { ...pgConfigFromEnv(info.env) }]) {
      const client = new pg.Client(config);
      await client.connect();
      assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
      await client.end();
    }
    assertSecretKept(info, password, cmdlines, ['SCRAM-SHA-256$']);
  });
});

// A pg client config from PG* variables alone.
function pgConfigFromEnv(env: Record<string, string>): pg.ClientConfig {
  return {
    host: env.PGHOST,
    port: Number(env.PGPORT),
    user: env.PGUSER,
    password: env.PGPASSWORD,
    database: env.PGDATABASE,
  };
}

test('mariadb --port: root over TCP needs the password (none, wrong, anonymous refused); URL and env work', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  if (!canAttack(t, 'mysql')) return;
  await withTcpInstance(t, 'mariadb', async (info, cmdlines) => {
    const port = info.env.MYSQL_TCP_PORT as string;
    const client = (
      user: string,
      env: Record<string, string> = {},
      where = ['-h', '127.0.0.1', '-P', port],
    ) => runAsNobody(['mysql', '--no-defaults', ...where, '-u', user, '-N', '-B', '-e', 'SELECT 42'], env);
    for (const user of ['root', '', 'mysql']) {
      const r = client(user);
      assert.doesNotMatch(r.out, /^42$/m, `user "${user}" without a password: refused`);
      assert.match(r.out, /Access denied/);
    }
    assert.match(client('root', { MYSQL_PWD: 'wrong-password' }).out, /Access denied/);
    const bySocket = client('root', {}, ['-S', info.env.MYSQL_UNIX_PORT as string]);
    assert.match(bySocket.out, /Permission denied|Can't connect/, 'socket dir closed');
    const password = passwordOf(info, 'MYSQL_PWD');
    assert.match(info.url as string, /^mysql:\/\/root:[^@]+@127\.0\.0\.1:\d+\/test$/);
    assert.equal(client('root', { MYSQL_PWD: password }).out, '42', 'with the password nobody gets in');
    const byUrl = await mysql.createConnection(info.url as string);
    assert.deepEqual((await byUrl.query('SELECT 1 AS one'))[0], [{ one: 1 }]);
    await byUrl.end();
    const e = info.env;
    const byEnv = await mysql.createConnection({
      host: e.MYSQL_HOST,
      port: Number(e.MYSQL_TCP_PORT),
      user: e.MYSQL_USER,
      password: e.MYSQL_PWD,
    });
    await byEnv.end();
    const hash = `*${sha1(sha1(Buffer.from(password)))
      .toString('hex')
      .toUpperCase()}`;
    assertSecretKept(info, password, cmdlines, [hash]);
  });
});

function sha1(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

test('redis --port: nobody gets NOAUTH or WRONGPASS; the URL works over TCP and the socket needs it too', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  if (!canAttack(t, 'redis-cli')) return;
  await withTcpInstance(t, 'redis', async (info, cmdlines) => {
    const port = info.env.REDIS_PORT as string;
    const cli = (env: Record<string, string> = {}, where = ['-h', '127.0.0.1', '-p', port]) =>
      runAsNobody(['redis-cli', ...where, 'PING'], env);
    const open = cli();
    assert.doesNotMatch(open.out, /PONG/, 'no password: refused');
    assert.match(open.out, /NOAUTH/);
    assert.match(cli({ REDISCLI_AUTH: 'wrong-password' }).out, /WRONGPASS|invalid password/);
    assert.match(
      cli({}, ['-s', info.env.REDIS_SOCKET as string]).out,
      /Permission denied/,
      'socket dir closed',
    );
    const password = passwordOf(info, 'REDIS_PASSWORD');
    assert.equal(info.env.REDISCLI_AUTH, password, 'redis-cli takes it from the environment');
    assert.match(info.url as string, /^redis:\/\/(default)?:[^@]+@127\.0\.0\.1:\d+$/);
    assert.equal(cli({ REDISCLI_AUTH: password }).out, 'PONG', 'with the password nobody gets in');
    for (const redis of [
      new Redis(info.url as string, { lazyConnect: true }),
      new Redis({ path: info.env.REDIS_SOCKET as string, password, lazyConnect: true }),
    ]) {
      await redis.connect();
      assert.equal(await redis.ping(), 'PONG');
      redis.disconnect();
    }
    const bare = spawnSync('redis-cli', ['-s', info.env.REDIS_SOCKET as string, 'PING'], {
      encoding: 'utf8',
    });
    assert.match(bare.stdout + bare.stderr, /NOAUTH/, 'the socket needs the password too');
    assertSecretKept(info, password, cmdlines, []);
  });
});

test('CLI: each instance gets its own password; the launcher prints it only in the connection info', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const infos: InstanceInfo[] = [];
  for (let n = 0; n < 2; n++) {
    const r = await runCli([
      'up',
      'redis',
      '--port',
      '0',
      '--format',
      'json',
      '--parent',
      String(process.pid),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as InstanceInfo;
    registerCleanup(t, () => info);
    infos.push(info);
    assert.ok(!r.stderr.includes(info.env.REDIS_PASSWORD as string), 'stderr does not show the password');
  }
  const [a, b] = infos.map((i) => i.env.REDIS_PASSWORD);
  assert.ok(a && b && a !== b, 'two instances, two passwords');
  for (const info of infos) assert.equal((await runCli(['stop', info.id])).code, 0);
});
