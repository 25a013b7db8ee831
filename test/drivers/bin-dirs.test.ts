// --mysql-bin and --redis-bin: a bin dir the user names runs that server, says so in status, and keys its snapshot;
// a dir without the server is a usage error that leaves nothing behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { findMariadbBinaries } from '../../dist/drivers/mariadb/binaries.js';
import type { InstanceInfo } from '../../dist/index.js';
import { scratchDir, stateRoot } from '../helpers/env.js';
import { requireEngine, runCli, startCli, startLib, takeFootprint, waitFootprintGone } from './db.js';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALLER = '/usr/bin/mariadb-install-db';
const REDIS_SERVER = '/usr/bin/redis-server';

// The exact version a server binary prints, e.g. "10.11.14" or "7.0.15".
function readVersion(binary: string, pattern: RegExp): string {
  const line = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  return pattern.exec(line)?.[1] ?? `no version in ${line}`;
}

// A scratch install tree the servers' own users can reach: ROOT/sbin, ROOT/bin.
function makeTree(t: TestContext, prefix: string): { root: string; sbin: string; bin: string } {
  const root = scratchDir(t, prefix);
  const sbin = join(root, 'sbin');
  const bin = join(root, 'bin');
  mkdirSync(sbin, { mode: 0o755 });
  mkdirSync(bin, { mode: 0o755 });
  chmodSync(root, 0o755);
  return { root, sbin, bin };
}

// `status ID --json` as the user sees it.
async function readStatus(id: string): Promise<InstanceInfo> {
  const status = await runCli(['status', id, '--json']);
  assert.equal(status.code, 0, status.stderr);
  return JSON.parse(status.stdout) as InstanceInfo;
}

// The fields of info.server that `expected` names.
function pickServer(info: InstanceInfo, expected: Record<string, string>): Record<string, unknown> {
  const server = (info.server ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, server[k]]));
}

// The instance dirs of a driver in the sandbox's state root.
function listInstanceDirs(driver: string): string[] {
  return existsSync(stateRoot()) ? readdirSync(stateRoot()).filter((d) => d.startsWith(`${driver}-`)) : [];
}

test('--mysql-bin: links to the server (installer in the sibling bin) start it; status shows version, source, binary', async (t) => {
  if (!requireEngine(t, 'mariadb') || !existsSync(MARIADBD) || !existsSync(INSTALLER))
    return t.skip('no /usr MariaDB');
  const tree = makeTree(t, 'mysqlbin-');
  symlinkSync(MARIADBD, join(tree.sbin, 'mariadbd'));
  symlinkSync(INSTALLER, join(tree.bin, 'mariadb-install-db'));
  const info = await startCli(t, 'mariadb', ['--mysql-bin', tree.sbin]);
  const expected = {
    engine: 'mariadb',
    flavor: 'mariadb',
    version: readVersion(MARIADBD, /Ver\s+(\d+\.\d+\.\d+)/),
    binary: realpathSync(MARIADBD),
    source: 'mysql-bin',
  };
  assert.deepEqual(pickServer(info, expected), expected);
  assert.deepEqual(pickServer(await readStatus(info.id), expected), expected);
  const db = await mysql.createConnection(info.url as string);
  const [rows] = await db.query('SELECT VERSION() AS v');
  await db.end();
  assert.ok((rows as { v: string }[])[0]?.v.startsWith(expected.version));
  const fp = takeFootprint(info);
  assert.equal((await runCli(['kill', info.id])).code, 0);
  await waitFootprintGone(fp);
});

test('--mysql-bin: a copy of the server is another build, with its own snapshot key; links share the real one', async (t) => {
  if (!requireEngine(t, 'mariadb') || !existsSync(MARIADBD) || !existsSync(INSTALLER))
    return t.skip('no /usr MariaDB');
  const copy = makeTree(t, 'mysqlcopy-');
  copyFileSync(MARIADBD, join(copy.sbin, 'mariadbd'));
  chmodSync(join(copy.sbin, 'mariadbd'), 0o755);
  symlinkSync(INSTALLER, join(copy.bin, 'mariadb-install-db'));
  const linked = makeTree(t, 'mysqllink-');
  symlinkSync(MARIADBD, join(linked.sbin, 'mysqld'));
  symlinkSync(INSTALLER, join(linked.bin, 'mysql_install_db'));
  const [copied, plain, viaLinks] = await Promise.all([
    startLib(t, 'mariadb', { mysqlBin: copy.sbin }),
    startLib(t, 'mariadb'),
    startLib(t, 'mariadb', { mysqlBin: linked.sbin }),
  ]);
  assert.equal(copied.info.server?.binary, join(realpathSync(copy.sbin), 'mariadbd'));
  assert.ok(['PATH', 'system'].includes(plain.info.server?.source as string));
  const keyOf = (info: InstanceInfo) => (info.server?.dataDir as { snapshot?: string } | undefined)?.snapshot;
  assert.ok(keyOf(copied.info) && keyOf(plain.info));
  assert.notEqual(keyOf(copied.info), keyOf(plain.info));
  assert.equal(viaLinks.info.server?.binary, realpathSync(MARIADBD));
  assert.equal(keyOf(viaLinks.info), keyOf(plain.info));
  const fps = [copied, plain, viaLinks].map((i) => takeFootprint(i.info));
  await Promise.all([copied.eliminate(), plain.eliminate(), viaLinks.eliminate()]);
  await Promise.all(fps.map((fp) => waitFootprintGone(fp)));
});

test('--mysql-bin finds the installer beside the server, in ../bin (/usr) or ../scripts (tarballs), by real path', (t) => {
  if (!requireEngine(t, 'mariadb') || !existsSync(MARIADBD) || !existsSync(INSTALLER))
    return t.skip('no /usr MariaDB');
  const layouts: [string, string][] = [
    ['sbin', 'bin'],
    ['bin', 'scripts'],
    ['bin', 'bin'],
  ];
  for (const [serverDir, installerDir] of layouts) {
    const tree = makeTree(t, 'layout-');
    mkdirSync(join(tree.root, 'scripts'), { recursive: true });
    symlinkSync(MARIADBD, join(tree.root, serverDir, 'mariadbd'));
    symlinkSync(INSTALLER, join(tree.root, installerDir, 'mysql_install_db'));
    const bins = findMariadbBinaries(join(tree.root, serverDir));
    assert.deepEqual(
      { server: bins.server, installer: bins.installer, source: bins.source },
      { server: realpathSync(MARIADBD), installer: realpathSync(INSTALLER), source: 'mysql-bin' },
      `${serverDir} + ${installerDir}`,
    );
  }
});

test('--redis-bin: a link to redis-server starts it; status shows version, source, binary', async (t) => {
  if (!requireEngine(t, 'redis') || !existsSync(REDIS_SERVER)) return t.skip('no /usr/bin/redis-server');
  const tree = makeTree(t, 'redisbin-');
  symlinkSync(REDIS_SERVER, join(tree.bin, 'redis-server'));
  const info = await startCli(t, 'redis', ['--redis-bin', tree.bin]);
  const expected = {
    engine: 'redis',
    version: readVersion(REDIS_SERVER, /v=(\d+\.\d+\.\d+)/),
    binary: join(realpathSync(tree.bin), 'redis-server'),
    source: 'redis-bin',
  };
  assert.deepEqual(info.server, expected);
  assert.deepEqual((await readStatus(info.id)).server, expected);
  const text = await runCli(['status', info.id]);
  assert.ok(
    text.stdout.includes(`server      redis ${expected.version} from redis-bin: ${expected.binary}\n`),
    text.stdout,
  );
  const redis = new Redis(info.url as string, { lazyConnect: true });
  await redis.connect();
  assert.match(
    await redis.info('server'),
    new RegExp(`redis_version:${expected.version.replaceAll('.', '\\.')}`),
  );
  redis.disconnect();
  const fp = takeFootprint(info);
  assert.equal((await runCli(['kill', info.id])).code, 0);
  await waitFootprintGone(fp);
});

test('a bin dir without the server, or given to another engine, is exit 2 naming the option; nothing is made', async (t) => {
  const empty = scratchDir(t, 'nobin-');
  const lone = makeTree(t, 'noinstaller-');
  symlinkSync(MARIADBD, join(lone.sbin, 'mariadbd'));
  const cases: [string[], RegExp][] = [
    [
      ['up', 'mariadb', '--mysql-bin', empty],
      /--mysql-bin: .*expected a MariaDB\/MySQL bin dir holding mariadbd or mysqld/,
    ],
    [['up', 'mysql', '--mysql-bin', empty], /--mysql-bin: .*mariadbd or mysqld/],
    [['up', 'mariadb', '--mysql-bin', lone.sbin], /--mysql-bin: .*mariadb-install-db/],
    [['up', 'redis', '--redis-bin', empty], /--redis-bin: .*expected a Redis bin dir holding redis-server/],
    [['up', 'redis', '--mysql-bin', empty], /--mysql-bin: .*redis .*only mariadb and mysql take it/],
    [['up', 'mariadb', '--redis-bin', empty], /--redis-bin: .*mariadb .*only redis takes it/],
    [['up', 'postgresql', '--redis-bin', empty], /--redis-bin: .*postgresql .*only redis takes it/],
  ];
  for (const [argv, message] of cases) {
    const dir = argv[3] as string;
    const result = await runCli([...argv, '--parent', 'none', '--format', 'json']);
    assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.ok(result.stderr.includes(dir), result.stderr);
    assert.equal(result.stdout, '');
  }
  assert.deepEqual(
    [...listInstanceDirs('mariadb'), ...listInstanceDirs('mysql'), ...listInstanceDirs('redis')],
    [],
  );
  assert.deepEqual(listInstanceDirs('postgresql'), []);
});
