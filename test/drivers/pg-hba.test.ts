// Extra pg_hba.conf lines (`--pg-hba`, library `pgHba`): a suite's per-role methods (postgres.js' md5 and scram roles
// beside trusted ones) work, and no line can open more than the socket and the loopback, or trust without --auth trust.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { tryPgLogin } from '../helpers/pg-login.js';
import { expectRefused } from '../helpers/refused.js';
import { requirePostgres, runCli, startLib } from './db.js';

// Log in over TCP as user/password: 'connected', or the refusal.
function tryLogin(env: Record<string, string>, user: string, password?: string): Promise<string> {
  return tryPgLogin({ host: '127.0.0.1', port: Number(env.PGPORT), user, password, database: 'postgres' });
}

test('per-role lines come before ours: md5 for one role, scram for another, trust for the rest (auth trust)', async (t) => {
  if (!requirePostgres(t)) return;
  const instance = await startLib(t, 'postgresql', {
    auth: 'trust',
    pgHba: ['host all app_md5 samehost md5', 'host all app_scram 127.0.0.1/32 scram-sha-256'],
  });
  const admin = new pg.Client({ connectionString: instance.url });
  await admin.connect();
  await admin.query("SET password_encryption = 'md5'");
  await admin.query("CREATE ROLE app_md5 LOGIN PASSWORD 'pw5'");
  await admin.query("SET password_encryption = 'scram-sha-256'");
  await admin.query("CREATE ROLE app_scram LOGIN PASSWORD 'pws'");
  await admin.query('CREATE ROLE app_open LOGIN');
  await admin.end();
  const env = instance.env;
  assert.equal(await tryLogin(env, 'app_md5', 'pw5'), 'connected');
  assert.match(await tryLogin(env, 'app_md5', 'wrong'), /password authentication failed/);
  assert.equal(await tryLogin(env, 'app_scram', 'pws'), 'connected');
  assert.match(await tryLogin(env, 'app_scram', 'wrong'), /password authentication failed/);
  assert.equal(await tryLogin(env, 'app_open'), 'connected', 'the rest falls to our trust line');
  await instance.stop();
});

test('lines that could open a door, include a file, or trust without auth trust are refused before anything starts', async (t) => {
  for (const line of [
    'host all all 0.0.0.0/0 trust',
    'host all all all md5',
    'host all all 10.0.0.1/32 md5',
    'include /etc/other_hba.conf',
    'host all @admins samehost md5',
    'host all all samehost md5 clientcert=verify-ca',
    'local all all peer',
    'host all all samehost trust',
    'host all all 127.0.0.1 255.255.255.255 md5',
  ]) {
    const error = await expectRefused(t, { pgHba: [line] });
    assert.equal(error.option, 'pgHba', line);
  }
  const noTrust = await expectRefused(t, { pgHba: ['host all all samehost trust'] });
  assert.match(noTrust.message, /trust over TCP needs auth trust/);
  await expectRefused(t, { driver: 'redis', pgHba: ['local all all trust'] });
  const cli = await runCli(['up', '--parent', 'none', '--pg-hba', 'host all all all trust']);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /--pg-hba: "host all all all trust" is not valid/);
});

test('--env NAME= removes an engine variable from the command (a suite whose clients pick their own SSL mode)', async (t) => {
  if (!requirePostgres(t)) return;
  const script = 'echo "[$' + '{PGSSLMODE-unset}]"'; // the shell's ${…}, not a template
  const r = await runCli(['exec', '--tls', '--env', 'PGSSLMODE=', '--', 'sh', '-c', script], {
    PGSSLMODE: 'require',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '[unset]');
});
