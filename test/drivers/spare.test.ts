// The snapshot spare: a launch takes a pre-cloned copy by rename, a detached copy refills it after ready, gc sweeps.
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { sweepSpares } from '../../dist/drivers/snapshots/spare-sweep.js';
import type { Instance } from '../../dist/index.js';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { runCli, startLib } from './db.js';
import { listSpares, made, makeSpareRoot } from './spare-root.js';

// A private state root for these tests (see makeSpareRoot).
const makeRoot = (t: TestContext) => makeSpareRoot(t, 'spare-', (n) => n.endsWith('.filling'));

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

test('the next PostgreSQL launch takes the spare by rename; it works; a new spare is refilled after ready; the last stop gives the RAM back', async (t) => {
  const { stateRoot, spares, ramRoot } = makeRoot(t);
  const first = await startLib(t, 'postgresql', { stateRoot });
  assert.notEqual(made(first), 'spare', 'no spare exists before the first launch');
  const [name] = await waitFor('the spare to be refilled', () =>
    listSpares(spares).length === 1 ? listSpares(spares) : null,
  );
  const second = await startLib(t, 'postgresql', { stateRoot });
  assert.equal(made(second), 'spare');
  assert.equal(await selectOne(second.url as string), 1);
  await waitFor('the spare to be refilled again', () => listSpares(spares).includes(name as string));
  await Promise.all([first.stop(), second.stop()]);
  assert.equal(existsSync(second.dataDir), false, 'a data dir made from a spare is deleted like any other');
  // No instance of the state root is left: its spares are given back and the RAM root goes, no CLI involved.
  assert.equal(
    existsSync(ramRoot),
    false,
    `the RAM root is gone: ${existsSync(ramRoot) && readdirSync(ramRoot)}`,
  );
});

test('concurrent launches: one takes the spare, the others clone; all work', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  await using holder = await startLib(t, 'postgresql', { stateRoot }); // spares last while an instance runs
  await waitFor('the spare', () => listSpares(spares).length === 1);
  const all = await Promise.all([1, 2, 3].map(() => startLib(t, 'postgresql', { stateRoot })));
  assert.deepEqual(all.map(made).sort(), ['cloned', 'cloned', 'spare']);
  assert.deepEqual(await Promise.all(all.map((i) => selectOne(i.url as string))), [1, 1, 1]);
  await Promise.all(all.map((i) => i.stop()));
  assert.notEqual(made(holder), 'spare');
});

test('a spare swapped for a symlink is never taken nor followed; a rebuilt snapshot never hands out an old spare', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  await using holder = await startLib(t, 'postgresql', { stateRoot }); // spares last while an instance runs
  const [name] = await waitFor('the spare', () =>
    listSpares(spares).length === 1 ? listSpares(spares) : null,
  );
  const decoy = scratchDir(t, 'decoy-');
  writeFileSync(join(decoy, 'keep.txt'), 'mine');
  renameSync(join(spares, name as string), join(spares, '.moved-aside'));
  symlinkSync(decoy, join(spares, name as string));
  const linked = await startLib(t, 'postgresql', { stateRoot });
  assert.equal(made(linked), 'cloned');
  assert.deepEqual(readdirSync(decoy), ['keep.txt'], 'the link target is untouched');
  await linked.stop();
  // `snapshots clear` and a rebuild: the spare named after the old build is stale, never used, and the rebuilt
  // snapshot's refill removes it (the link only), no gc needed.
  const cacheSaved = process.env.QUICKDB_WATCHER_CACHE;
  const cache = scratchDir(t, 'cache-');
  process.env.QUICKDB_WATCHER_CACHE = cache;
  t.after(() => {
    process.env.QUICKDB_WATCHER_CACHE = cacheSaved;
  });
  const rebuilt = await startLib(t, 'postgresql', { stateRoot });
  assert.equal(made(rebuilt), 'built');
  assert.equal(
    lstatSync(join(spares, name as string), { throwIfNoEntry: false }),
    undefined,
    'the stale spare went',
  );
  assert.deepEqual(readdirSync(decoy), ['keep.txt'], 'sweeping the link removed the link only');
  await rebuilt.stop();
  assert.ok(made(holder));
});

test('gc --dry-run lists the spares with their size; gc removes them, and a RAM root left with nothing else', async (t) => {
  const { stateRoot, spares, ramRoot } = makeRoot(t);
  const env = { QUICKDB_WATCHER_CACHE: process.env.QUICKDB_WATCHER_CACHE, QUICKDB_WATCHER_STATE: stateRoot };
  const holder = await startLib(t, 'postgresql', { stateRoot });
  const [name] = await waitFor('the spare', () =>
    listSpares(spares).length === 1 ? listSpares(spares) : null,
  );
  const dry = await runCli(['gc', '--dry-run'], env);
  assert.match(
    dry.stdout,
    new RegExp(
      `\\(spares\\): would be removed-record: would remove the snapshot spare ${spares}/${name} \\(\\d+\\.\\d MB\\)`,
    ),
  );
  assert.deepEqual(listSpares(spares), [name], 'a dry run removes nothing');
  const gc = await runCli(['gc'], env);
  assert.match(gc.stdout, new RegExp(`removed the snapshot spare ${spares}/${name} \\(\\d+\\.\\d MB\\)`));
  assert.deepEqual(listSpares(spares), []);
  assert.ok(existsSync(holder.dataDir), "the running instance's data dir keeps the RAM root");
  await holder.stop();
  assert.equal(existsSync(ramRoot), false, 'the last stop removed the emptied RAM root');
  // What an older version left: a RAM root with its note and a spare, no instance. gc gives it all back.
  mkdirSync(join(spares, 'postgresql-old~1', 'base'), { recursive: true });
  writeFileSync(join(ramRoot, '.state-root'), `${realpathSync(stateRoot)}\n`);
  const old = await runCli(['gc'], env);
  assert.match(old.stdout, /removed the snapshot spare .*postgresql-old~1/);
  assert.match(old.stdout, new RegExp(`removed the empty RAM root ${ramRoot}`));
  assert.equal(existsSync(ramRoot), false);
});

test('gc sweeps refills cut short (older than 10 minutes) and keeps fresh ones', (t) => {
  const root = scratchDir(t, 'sweep-');
  const spares = join(root, '.spares');
  mkdirSync(join(spares, '.k~1.tmp-99-1', 'sub'), { recursive: true });
  writeFileSync(join(spares, '.k~1.filling'), '');
  mkdirSync(join(spares, 'k~1'));
  assert.deepEqual(
    sweepSpares(root, () => true),
    [],
    'fresh refills and current spares stay',
  );
  const later = Date.now() + 11 * 60_000;
  assert.deepEqual(sweepSpares(root, () => true, later).sort(), ['.k~1.filling', '.k~1.tmp-99-1']);
  assert.deepEqual(readdirSync(spares), ['k~1']);
  assert.deepEqual(
    sweepSpares(root, () => false),
    ['k~1'],
    'a spare of a snapshot no longer current goes',
  );
});

test('a newer migration version of the same project drops the spare of the older one at its refill', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  const migrations = join(scratchDir(t, 'versions-'), 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001.sql'), `CREATE TABLE v1 (id int); -- ${Date.now()}\n`);
  const keyOf = (i: Instance): string =>
    String((i.info.server?.dataDir as { snapshot?: string } | undefined)?.snapshot);
  const spareOf = (key: string) => listSpares(spares).find((n) => n.startsWith(`${key}~`));
  await using first = await startLib(t, 'postgresql', { stateRoot, migrate: migrations });
  await waitFor('the spare of the first version', () => spareOf(keyOf(first)), 60_000);
  writeFileSync(join(migrations, '002.sql'), 'CREATE TABLE v2 (id int);\n');
  await using second = await startLib(t, 'postgresql', { stateRoot, migrate: migrations });
  assert.notEqual(keyOf(second), keyOf(first));
  await waitFor('the spare of the second version', () => spareOf(keyOf(second)), 60_000);
  assert.equal(
    spareOf(keyOf(first)),
    undefined,
    `the spare of the older version is gone: ${listSpares(spares)}`,
  );
});
