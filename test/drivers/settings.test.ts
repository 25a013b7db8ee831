// Server settings (`settings`, `--set`) reach each real engine in its own form, ours can be overridden, and no
// setting or raw server argument opens or changes a listener or its auth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { expectRefused } from '../helpers/refused.js';
import { requireEngine, requirePostgres, runCli, startLib } from './db.js';

test('postgresql: settings become -c settings; ours can be overridden; synchronous_commit stays on', async (t) => {
  if (!requirePostgres(t)) return;
  const settings = { wal_level: 'logical', max_prepared_transactions: 10, fsync: true };
  const instance = await startLib(t, 'postgresql', { settings });
  const client = new pg.Client({ connectionString: instance.url });
  await client.connect();
  try {
    const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name];
    assert.equal(await show('wal_level'), 'logical');
    assert.equal(await show('max_prepared_transactions'), '10');
    assert.equal(await show('fsync'), 'on');
    assert.equal(await show('synchronous_commit'), 'on');
    assert.equal(await show('full_page_writes'), 'off');
  } finally {
    await client.end();
  }
  await instance.stop();
});

test('mariadb: settings become server options after ours', async (t) => {
  if (!requireEngine(t, 'mariadb')) return;
  const instance = await startLib(t, 'mariadb', {
    settings: { max_connections: 77, 'innodb-doublewrite': true },
  });
  const db = await mysql.createConnection(instance.url as string);
  try {
    const [rows] = await db.query('SELECT @@max_connections AS m, @@innodb_doublewrite AS d');
    assert.deepEqual((rows as { m: number; d: number }[])[0], { m: 77, d: 1 });
  } finally {
    await db.end();
  }
  await instance.stop();
});

test('redis: settings become config directives after ours (save may be turned back on)', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const instance = await startLib(t, 'redis', {
    settings: { maxmemory: '10mb', save: '900 1', appendonly: false },
  });
  const redis = new Redis(instance.url as string, { lazyConnect: true });
  await redis.connect();
  try {
    assert.deepEqual(await redis.config('GET', 'maxmemory'), ['maxmemory', '10485760']);
    assert.deepEqual(await redis.config('GET', 'save'), ['save', '900 1']);
    assert.deepEqual(await redis.config('GET', 'appendonly'), ['appendonly', 'no']);
  } finally {
    redis.disconnect();
  }
  await instance.stop();
});

/** Each engine's listener and auth settings, as settings and as raw server arguments (the list and the
 *  spellings each server also reads). */
const REFUSED: [string, Record<string, unknown>][] = [
  ...[
    'listen_addresses',
    'port',
    'hba_file',
    'unix_socket_directories',
    'Listen-Addresses',
    'ssl',
    'ssl_cert_file',
    'config_file',
  ].map((k): [string, Record<string, unknown>] => ['postgresql', { settings: { [k]: '*' } }]),
  ...[
    ['-c', 'listen_addresses=*'],
    ['-clisten_addresses=*'],
    ['--listen-addresses=*'],
    ['-i'],
    ['-Fi'],
    ['-p', '5432'],
    ['-k', '/tmp'],
    ['-c', 'hba_file=/tmp/h'],
    ['--port=1'],
  ].map((args): [string, Record<string, unknown>] => ['postgresql', { args }]),
  ...[
    'port',
    'bind-address',
    'skip-grant-tables',
    'socket',
    'bind_address',
    'skip_networking',
    'init-file',
    'ssl-ca',
  ].map((k): [string, Record<string, unknown>] => ['mariadb', { settings: { [k]: '1' } }]),
  ...[
    ['--port=3307'],
    ['--bind=0.0.0.0'],
    ['--loose-skip-grant-tables'],
    ['--skip-networking=0'],
    ['-P3307'],
    ['-P', '3307'],
    ['--socket=/tmp/s'],
    ['--defaults-file=/tmp/my.cnf'],
  ].map((args): [string, Record<string, unknown>] => ['mysql', { args }]),
  ...['port', 'bind', 'protected-mode', 'requirepass', 'unixsocket', 'user', 'tls-port', 'include'].map(
    (k): [string, Record<string, unknown>] => ['redis', { settings: { [k]: 'x' } }],
  ),
  ...[
    ['--port', '6379'],
    ['--PORT', '6379'],
    ['--bind', '0.0.0.0'],
    ['--protected-mode', 'no'],
    ['--requirepass', ''],
    ['--user', 'default', 'on', 'nopass'],
    ['--tls-port', '6380'],
    ['6379'],
  ].map((args): [string, Record<string, unknown>] => ['redis', { args }]),
];

test('listener and auth settings and raw arguments are refused before anything starts, naming our option', async (t) => {
  for (const [driver, options] of REFUSED) {
    const error = await expectRefused(t, { driver, ...options });
    const label = `${driver} ${JSON.stringify(options)}`;
    assert.equal(error.option, 'settings' in options ? 'settings' : 'args', label);
    if (driver === 'redis' && JSON.stringify(options) === '{"args":["6379"]}') continue;
    assert.match(error.message, /opens or changes a listener or its auth, which is ours to set/, label);
  }
});

test('bad settings: not an object, a bad name, a multi-line value, or any on the command driver', async (t) => {
  await expectRefused(t, { settings: ['wal_level=logical'] });
  await expectRefused(t, { settings: { 'wal level': 'logical' } });
  await expectRefused(t, { settings: { work_mem: '4MB\nlisten_addresses=*' } });
  const error = await expectRefused(t, { driver: 'command', args: ['true'], settings: { a: 1 } });
  assert.match(error.message, /takes no server settings/);
});

test('CLI: up redis -- --port 6379 is refused (exit 2) naming --port; --set needs KEY=VALUE', async () => {
  const hole = await runCli(['up', 'redis', '--parent', 'none', '--', '--port', '6379']);
  assert.equal(hole.code, 2, hole.stderr);
  assert.match(
    hole.stderr,
    /-- ARGV: \["--port","6379"\] is not valid: port opens or changes a listener .*use --port/,
  );
  const set = await runCli(['up', '--parent', 'none', '--set', 'wal_level']);
  assert.equal(set.code, 2, set.stderr);
  assert.match(set.stderr, /--set: "wal_level" is not valid: expected KEY=VALUE/);
  const guarded = await runCli(['up', '--parent', 'none', '--set', 'listen_addresses=*']);
  assert.equal(guarded.code, 2, guarded.stderr);
  assert.match(guarded.stderr, /--set: \{"listen_addresses":"\*"\} is not valid: .*use --port/);
});
