// Several servers for one command (`exec … --and DRIVER … -- CMD`), the connection under a suite's own names
// (`--env NAME=TEMPLATE`) and written to a file before CMD starts (`--write-env`, library `envFile`).
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEnv } from 'node:util';
import { startServer } from '../../dist/index.js';
import { dbOptions, requireEngine, requirePostgres, runCli } from '../drivers/db.js';
import { scratchDir } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { expectRefused } from '../helpers/refused.js';

/** A command that saves its environment, the env file and the instances it reached, then exits 3. */
function recordingCmd(out: string, envFile: string): string[] {
  const script = `
    const fs = require('fs');
    const file = ${JSON.stringify(envFile)};
    fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({
      env: process.env,
      file: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null,
      mode: fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : null,
    }));
    process.exit(3);`;
  return [process.execPath, '-e', script];
}

test('exec --and: PostgreSQL, Redis and a second PostgreSQL under SECOND_, all bound to CMD and all gone after', async (t) => {
  if (!requireEngine(t, 'postgresql', 'redis')) return;
  const dir = scratchDir(t);
  const out = join(dir, 'seen.json');
  const envFile = join(dir, 'second.env');
  const r = await runCli([
    'exec',
    '--and',
    'redis',
    '--and',
    'postgresql',
    '--env-prefix',
    'SECOND_',
    '--env',
    'TEST_DB_PORT={port}',
    '--env',
    'TEST_DB_URL={url}',
    '--write-env',
    envFile,
    '--',
    ...recordingCmd(out, envFile),
  ]);
  assert.equal(r.code, 3, r.stderr);
  const seen = JSON.parse(readFileSync(out, 'utf8')) as {
    env: Record<string, string>;
    file: string;
    mode: number;
  };
  const env = seen.env;
  assert.match(env.DATABASE_URL ?? '', /^postgresql:\/\/postgres:[\w-]+@127\.0\.0\.1:\d+\/postgres$/);
  assert.match(env.REDIS_URL ?? '', /^redis:\/\/default:[\w-]+@127\.0\.0\.1:\d+$/);
  assert.match(env.SECOND_DATABASE_URL ?? '', /^postgresql:\/\//);
  assert.notEqual(env.SECOND_PGPORT, env.PGPORT);
  assert.equal(env.TEST_DB_PORT, env.SECOND_PGPORT, '--env names are not prefixed');
  assert.equal(env.TEST_DB_URL, env.SECOND_DATABASE_URL);
  assert.equal(env.SECOND_TEST_DB_PORT, undefined);
  assert.match(env.QUICKDB_ID ?? '', /^postgresql-/);
  // The file is the second server's own connection, unprefixed, 0600, written before CMD started.
  assert.equal(seen.mode, 0o600);
  const file = parseEnv(seen.file);
  assert.equal(file.DATABASE_URL, env.SECOND_DATABASE_URL);
  assert.equal(file.TEST_DB_PORT, env.SECOND_PGPORT);
  assert.equal(existsSync(envFile), false, 'the env file is removed at stop');
  for (const id of [env.QUICKDB_ID, env.SECOND_QUICKDB_ID]) {
    const status = await runCli(['status', String(id), '--json']);
    assert.notEqual(status.code, 0, `${id} is gone after exec`);
  }
});

test('exec --and: two servers setting the same variables are refused (exit 2) before anything starts', async () => {
  const r = await runCli(['exec', '--and', 'mariadb', '--', 'true']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /servers 1 and 2 would both set the SQL \(DATABASE_URL\) variables; give one of them its own --env-prefix/,
  );
  const bad = await runCli(['exec', '--and', 'redis', '--env-prefix', '2ND', '--', 'true']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--env-prefix: "2ND" is not valid/);
  const unknown = await runCli(['exec', '--env', 'X={hostname}', '--', 'true']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--env: \{"X":"\{hostname\}"\} is not valid: \{hostname\} is not known/);
});

test('library: exportEnv joins env; envFile (JSON) is written 0600 through no link and removed by stop()', async (t) => {
  if (!requirePostgres(t)) return;
  const dir = scratchDir(t);
  const envFile = join(dir, 'db.json');
  const instance = await startServer(
    dbOptions('postgresql', { exportEnv: { APP_DB: '{user}@{host}:{port}/{database}' }, envFile }),
  );
  registerCleanup(t, () => instance.info);
  const env = instance.env;
  assert.equal(env.APP_DB, `postgres@127.0.0.1:${env.PGPORT}/postgres`);
  assert.equal(lstatSync(envFile).mode & 0o777, 0o600);
  const written = JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>;
  assert.deepEqual(written, { ...env, QUICKDB_ID: instance.id });
  await instance.stop();
  assert.equal(existsSync(envFile), false);
  // A link planted at the path is replaced, never written through; its target stays as it was.
  const target = join(dir, 'target');
  writeFileSync(target, 'mine\n');
  symlinkSync(target, envFile);
  const again = await startServer(dbOptions('postgresql', { envFile }));
  registerCleanup(t, () => again.info);
  assert.equal(readFileSync(target, 'utf8'), 'mine\n');
  assert.equal(lstatSync(envFile).isSymbolicLink(), false);
  await again.stop();
  await expectRefused(t, { exportEnv: { 'BAD NAME': '{url}' } });
  await expectRefused(t, { envFile: '' });
});
