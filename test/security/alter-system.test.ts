// ALTER SYSTEM cannot take the listener or its auth: not in a running server (after pg_reload_conf), and not through
// a migration, whose postgresql.auto.conf is saved in the migrated snapshot and read by every later instance. Our
// other defaults stay a suite's to change that way (password_encryption = md5 for an md5 role).
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { requirePostgres, runCli, startLib } from '../drivers/db.js';
import { ROOT, scratchDir } from '../helpers/env.js';
import { tryPgLogin } from '../helpers/pg-login.js';

/** What an attacker's hba file says: everyone in, everywhere. */
const TRUST_ALL = 'local all all trust\nhost all all all trust\n';

// Write the trust-all hba file where the server's user can read it.
function plantTrustAll(dir: string): string {
  const path = join(dir, 'trust-all.conf');
  writeFileSync(path, TRUST_ALL, { mode: 0o644 });
  chmodSync(dir, 0o755);
  return path;
}

// Log in over TCP with `password`: 'connected', or the refusal.
function tryPassword(env: Record<string, string>, password: string): Promise<string> {
  const { PGHOST: host, PGPORT: port, PGUSER: user, PGDATABASE: database } = env;
  return tryPgLogin({ host, port: Number(port), user, password, database });
}

test('a running server: ALTER SYSTEM of hba_file, listen_addresses or ssl and a reload change nothing we set', async (t) => {
  if (!requirePostgres(t)) return;
  const trustAll = plantTrustAll(scratchDir(t, 'hba-'));
  const instance = await startLib(t, 'postgresql');
  const client = new pg.Client({ connectionString: instance.url });
  await client.connect();
  try {
    for (const sql of [
      `ALTER SYSTEM SET hba_file = '${trustAll}'`,
      "ALTER SYSTEM SET listen_addresses = '*'",
      "ALTER SYSTEM SET unix_socket_permissions = '0777'",
      'ALTER SYSTEM SET ssl = on',
      "ALTER SYSTEM SET work_mem = '7MB'",
    ])
      await client.query(sql);
    await client.query('SELECT pg_reload_conf()');
    const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name];
    // A reload is asynchronous: the setting we leave open shows it took effect.
    for (let i = 0; i < 100 && (await show('work_mem')) !== '7MB'; i++)
      await client.query('SELECT pg_sleep(0.05)');
    assert.equal(await show('work_mem'), '7MB', 'the reload happened');
    assert.equal(await show('hba_file'), join(instance.dataDir, 'pgdata', 'pg_hba.conf'));
    assert.equal(await show('listen_addresses'), '127.0.0.1');
    assert.equal(await show('unix_socket_permissions'), '0700');
    assert.equal(await show('ssl'), 'off');
  } finally {
    await client.end();
  }
  assert.match(await tryPassword(instance.env, 'wrong'), /password authentication failed/);
  await instance.stop();
});

test('a migration: ALTER SYSTEM saved in the migrated snapshot cannot open later instances; md5 stays settable', async (t) => {
  if (!requirePostgres(t)) return;
  const dir = scratchDir(t, 'migration-');
  const trustAll = plantTrustAll(dir);
  const alter = [
    `ALTER SYSTEM SET hba_file = '${trustAll}'`,
    "ALTER SYSTEM SET listen_addresses = '*'",
    "ALTER SYSTEM SET password_encryption = 'md5'",
  ]
    .map((sql) => `-c "${sql}"`)
    .join(' ');
  // Node's stdout: the wrong password's outcome, then the settings as the server has them.
  const check = `
    const pg = require('pg');
    const e = process.env;
    const config = { host: e.PGHOST, port: Number(e.PGPORT), user: e.PGUSER, database: e.PGDATABASE };
    (async () => {
      const wrong = new pg.Client({ ...config, password: 'wrong' });
      wrong.on('error', () => {});
      console.log(await wrong.connect().then(() => { wrong.end(); return 'connected'; }, (err) => err.message));
      const c = new pg.Client({ ...config, password: e.PGPASSWORD });
      await c.connect();
      for (const name of ['hba_file', 'listen_addresses', 'password_encryption'])
        console.log((await c.query('SHOW ' + name)).rows[0][name]);
      await c.end();
    })();`;
  const r = await runCli(
    ['exec', '--migrate-command', `psql -v ON_ERROR_STOP=1 -X ${alter}`, '--', process.execPath, '-e', check],
    {
      QUICKDB_WATCHER_CACHE: join(dir, 'cache'),
      NODE_PATH: join(ROOT, 'node_modules'),
    },
  );
  assert.equal(r.code, 0, r.stderr);
  const [wrong, hba, listen, encryption] = r.stdout.trim().split('\n');
  assert.match(String(wrong), /password authentication failed/);
  assert.match(String(hba), /\/pgdata\/pg_hba\.conf$/);
  assert.equal(listen, '127.0.0.1');
  assert.equal(encryption, 'md5', 'our default password_encryption is a default: ALTER SYSTEM changes it');
});
