// Spares sized to demand: `spares: N` keeps N pre-cloned copies per snapshot, N concurrent launches each take one,
// refills keep to the RAM budget, gc and the last stop remove every slot, and nothing planted in the spares dir is
// followed or handed out.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { runCli, startLib } from './db.js';
import { listSpares, made, makeSpareRoot } from './spare-root.js';

// A private state root for these tests (see makeSpareRoot).
const makeRoot = (t: TestContext) => makeSpareRoot(t, 'spares-', (n) => n.startsWith('.'));

test('a spares dir swapped for a symlink is never walked through: nothing taken from it, nothing copied into it', async (t) => {
  const { stateRoot, spares, ramRoot } = makeRoot(t);
  await using holder = await startLib(t, 'postgresql', { stateRoot }); // spares last while an instance runs
  const [name] = await waitFor('the spare', () =>
    listSpares(spares).length === 1 ? listSpares(spares) : null,
  );
  // The real spare moved to a dir elsewhere on the same filesystem, and .spares made a link to it.
  const decoy = `${ramRoot}-decoy`;
  t.after(() => rmSync(decoy, { recursive: true, force: true }));
  renameSync(spares, decoy);
  symlinkSync(decoy, spares);
  const linked = await startLib(t, 'postgresql', { stateRoot });
  assert.notEqual(made(linked), 'spare', 'no spare is taken through the link');
  assert.deepEqual(
    readdirSync(decoy),
    [name],
    'the link target is untouched: no copy, no lock written into it',
  );
  await linked.stop();
  assert.ok(made(holder));
});

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

// The spares dir once its refills are done: the complete spares when none is being filled, else null.
function settledSpares(dir: string): string[] | null {
  if (existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.filling'))) return null;
  return listSpares(dir);
}

test('spares: 4 keeps 4 spares; 4 concurrent launches each take one, all work; refills make 4 again; the last stop removes every slot', async (t) => {
  const { stateRoot, spares, ramRoot } = makeRoot(t);
  const holder = await startLib(t, 'postgresql', { stateRoot, spares: 4 });
  const four = await waitFor(
    '4 spares',
    () => (settledSpares(spares)?.length === 4 ? listSpares(spares) : null),
    60_000,
  );
  assert.deepEqual(
    four.map((n) => n.slice(n.lastIndexOf('~') + 1)).sort(),
    ['0', '1', '2', '3'],
    'one per slot',
  );
  const all = await Promise.all([1, 2, 3, 4].map(() => startLib(t, 'postgresql', { stateRoot, spares: 4 })));
  assert.deepEqual(all.map(made), ['spare', 'spare', 'spare', 'spare'], 'each launch took a spare');
  assert.equal(new Set(all.map((i) => i.dataDir)).size, 4);
  assert.deepEqual(await Promise.all(all.map((i) => selectOne(i.url as string))), [1, 1, 1, 1]);
  await waitFor('the 4 spares refilled', () => settledSpares(spares)?.length === 4, 60_000);
  await Promise.all([holder, ...all].map((i) => i.stop()));
  assert.equal(
    existsSync(ramRoot),
    false,
    `the RAM root is gone: ${existsSync(ramRoot) && readdirSync(ramRoot)}`,
  );
});

// The bytes a tree allocates (what a spare takes from a RAM filesystem).
function measureBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  return readdirSync(path).reduce((sum, n) => sum + measureBytes(join(path, n)), st.blocks * 512);
}

test('refills keep to QUICKDB_WATCHER_SPARES_MB: asked for 4 with room for 2, 2 are made and every start still works', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  await using holder = await startLib(t, 'postgresql', { stateRoot });
  const [one] = await waitFor('the spare', () =>
    settledSpares(spares)?.length === 1 ? listSpares(spares) : null,
  );
  const mb = Math.floor((2.5 * measureBytes(join(spares, one as string))) / 1048576);
  const saved = process.env.QUICKDB_WATCHER_SPARES_MB;
  process.env.QUICKDB_WATCHER_SPARES_MB = String(mb);
  t.after(() => {
    if (saved === undefined) delete process.env.QUICKDB_WATCHER_SPARES_MB;
    else process.env.QUICKDB_WATCHER_SPARES_MB = saved;
  });
  await using taker = await startLib(t, 'postgresql', { stateRoot, spares: 4 });
  assert.equal(made(taker), 'spare');
  const two = await waitFor('the refills', () => settledSpares(spares), 60_000);
  assert.equal(two.length, 2, `${mb} MB holds 2 spares: ${two}`);
  // Over budget: launches past the spares clone; none fails, and their refills keep to the budget too.
  const more = await Promise.all([1, 2, 3].map(() => startLib(t, 'postgresql', { stateRoot, spares: 4 })));
  assert.ok(more.map(made).includes('cloned'), `3 launches, 2 spares: ${more.map(made)}`);
  assert.deepEqual(await Promise.all(more.map((i) => selectOne(i.url as string))), [1, 1, 1]);
  assert.equal((await waitFor('the refills', () => settledSpares(spares), 60_000)).length, 2);
  await Promise.all(more.map((i) => i.stop()));
  assert.ok(made(holder));
});

test('a link or file planted under a slot name is never handed out nor followed; the refill removes it; gc removes every slot', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  const env = { QUICKDB_WATCHER_CACHE: process.env.QUICKDB_WATCHER_CACHE, QUICKDB_WATCHER_STATE: stateRoot };
  await using holder = await startLib(t, 'postgresql', { stateRoot });
  const [name] = await waitFor('the spare', () =>
    settledSpares(spares)?.length === 1 ? listSpares(spares) : null,
  );
  const base = (name as string).slice(0, (name as string).lastIndexOf('~'));
  // The real spare taken away; slot 1 a link to a dir of the user's, slot 2 a file.
  renameSync(join(spares, name as string), join(spares, '.moved-aside'));
  const decoy = scratchDir(t, 'decoy-');
  writeFileSync(join(decoy, 'keep.txt'), 'mine');
  symlinkSync(decoy, join(spares, `${base}~1`));
  writeFileSync(join(spares, `${base}~2`), 'planted');
  const launched = await Promise.all([1, 2].map(() => startLib(t, 'postgresql', { stateRoot, spares: 3 })));
  assert.deepEqual(launched.map(made), ['cloned', 'cloned'], 'no planted entry is handed out');
  assert.deepEqual(readdirSync(decoy), ['keep.txt'], 'the link target is untouched');
  const three = await waitFor(
    '3 real spares',
    () => (settledSpares(spares)?.length === 3 ? listSpares(spares) : null),
    60_000,
  );
  for (const slot of three) assert.ok(lstatSync(join(spares, slot)).isDirectory(), `${slot} is a real dir`);
  assert.deepEqual(readdirSync(decoy), ['keep.txt'], 'the refill removed the link only');
  rmSync(join(spares, '.moved-aside'), { recursive: true });
  const gc = await runCli(['gc'], env);
  for (const slot of three)
    assert.match(gc.stdout, new RegExp(`removed the snapshot spare ${spares}/${slot} `));
  assert.deepEqual(listSpares(spares), []);
  await Promise.all(launched.map((i) => i.stop()));
  assert.ok(made(holder));
});

test('a bad spares count or budget is refused, naming it, repeating the value and saying what is allowed', async (t) => {
  for (const spares of [33, -1, 1.5, 'two'])
    await assert.rejects(startLib(t, 'postgresql', { spares: spares as number }), (error: Error) => {
      assert.equal(error.name, 'UsageError');
      assert.match(error.message, /spares/);
      assert.match(error.message, new RegExp(JSON.stringify(spares).replace('.', '\\.')));
      assert.match(error.message, /expected a whole number from 0 to 32/);
      return true;
    });
  const saved = process.env.QUICKDB_WATCHER_SPARES_MB;
  process.env.QUICKDB_WATCHER_SPARES_MB = '12MB';
  t.after(() => {
    if (saved === undefined) delete process.env.QUICKDB_WATCHER_SPARES_MB;
    else process.env.QUICKDB_WATCHER_SPARES_MB = saved;
  });
  await assert.rejects(
    startLib(t, 'postgresql', {}),
    /QUICKDB_WATCHER_SPARES_MB.*12MB.*expected a whole number of MB from 0 to 1048576/,
  );
});

test('the last stop while a refill of 8 slots runs gives every slot back and removes the RAM root', async (t) => {
  const { stateRoot, spares, ramRoot } = makeRoot(t);
  const only = await startLib(t, 'postgresql', { stateRoot, spares: 8 });
  assert.ok(existsSync(spares) && readdirSync(spares).some((n) => n.endsWith('.filling')), 'a refill runs');
  await only.stop();
  await waitFor('the RAM root to go', () => !existsSync(ramRoot), 30_000);
});
