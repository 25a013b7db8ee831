// `--tls`: each engine's loopback port speaks TLS with a certificate made for the instance, and a client started by
// `exec` verifies it from the env alone (NODE_EXTRA_CA_CERTS, PGSSLROOTCERT, MYSQL_SSL_CA); one that does not trust
// it is refused, so the verification is real.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/env.js';
import { expectRefused } from '../helpers/refused.js';
import { requireEngine, requirePostgres, runCli } from './db.js';

/** A Node script run by exec: connects as the env says and prints what it saw. */
const SCRIPTS = {
  postgresql: `
    const pg = require('pg');
    (async () => {
      const c = new pg.Client(process.env.DATABASE_URL);
      await c.connect();
      const r = await c.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      console.log('ssl=' + r.rows[0].ssl);
      await c.end();
      const e = process.env;
      const config = { host: e.PGHOST, port: Number(e.PGPORT), user: e.PGUSER, password: e.PGPASSWORD, database: e.PGDATABASE };
      const untrusting = new pg.Client({ ...config, ssl: { ca: [] } });
      untrusting.on('error', () => {});
      await untrusting.connect().then(() => console.log('untrusting connected'), (err) => console.log('untrusting: ' + err.message));
      await untrusting.end().catch(() => {});
    })().catch((e) => { console.error(e); process.exit(1); });`,
  mariadb: `
    const mysql = require('mysql2/promise');
    const fs = require('fs');
    (async () => {
      const ca = fs.readFileSync(process.env.MYSQL_SSL_CA);
      const c = await mysql.createConnection({ uri: process.env.DATABASE_URL, ssl: { ca } });
      const [rows] = await c.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      console.log('ssl=' + (rows[0].Value !== ''));
      await c.end();
      const untrusting = mysql.createConnection({ uri: process.env.DATABASE_URL, ssl: { ca: [] } });
      await untrusting.then(() => console.log('untrusting connected'), (e) => console.log('untrusting: ' + e.message));
    })().catch((e) => { console.error(e); process.exit(1); });`,
  redis: `
    const { Redis } = require('ioredis');
    (async () => {
      const c = new Redis(process.env.REDIS_URL, { lazyConnect: true });
      await c.connect();
      console.log('ssl=' + (process.env.REDIS_URL.startsWith('rediss://') && (await c.ping()) === 'PONG'));
      c.disconnect();
      const plain = new Redis(process.env.REDIS_URL.replace('rediss://', 'redis://'), { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3000 });
      plain.on('error', () => {});
      await plain.connect().then(() => plain.ping()).then(() => console.log('plain connected'), (e) => console.log('plain: ' + e.message));
      plain.disconnect();
    })().catch((e) => { console.error(e); process.exit(1); });`,
} as const;

for (const [driver, script] of Object.entries(SCRIPTS) as [keyof typeof SCRIPTS, string][]) {
  test(`${driver} --tls: a Node client started by exec verifies the instance's certificate from the env alone`, async (t) => {
    if (!requireEngine(t, driver)) return;
    const r = await runCli(['exec', driver, '--tls', '--', process.execPath, '-e', script], {
      NODE_PATH: join(ROOT, 'node_modules'),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ssl=true$/m);
    assert.match(
      r.stdout,
      driver === 'redis' ? /^plain: /m : /^untrusting: .*(self[- ]signed|certificate)/im,
    );
  });
}

test('postgresql --tls: the URL asks for verify-full; libpq (psql) verifies by PGSSLROOTCERT; the key is 0600', async (t) => {
  if (!requirePostgres(t)) return;
  const script = `echo "$DATABASE_URL|$PGSSLMODE|$PGSSLROOTCERT|$NODE_EXTRA_CA_CERTS"; psql -XAtc 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'; stat -c %a "$(dirname "$PGSSLROOTCERT")/server.key"`;
  const r = await runCli(['exec', '--tls', '--', 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  const [line = '', ssl, mode] = r.stdout.trim().split('\n');
  const [url = '', sslmode, root = '', extra] = line.split('|');
  assert.match(url, /^postgresql:\/\/postgres:[\w-]+@127\.0\.0\.1:\d+\/postgres\?sslmode=verify-full$/);
  assert.equal(sslmode, 'verify-full');
  assert.match(root, /\/tls\/server\.crt$/);
  assert.equal(extra, root);
  assert.equal(ssl, 't');
  assert.equal(mode, '600');
});

test('--tls is refused for the command driver and must be a boolean', async (t) => {
  await expectRefused(t, { driver: 'command', args: ['true'], tls: true });
  const error = await expectRefused(t, { tls: 'yes' });
  assert.equal(error.option, 'tls');
});
