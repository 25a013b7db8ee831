// The snapshot spare: a launch takes a pre-cloned copy by rename, a detached copy refills it after ready, gc sweeps.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { sweepSpares } from '../../dist/drivers/snapshots/spare.js';
import type { Instance } from '../../dist/index.js';
import { resolveRamRoot } from '../../dist/launcher/placement.js';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { runCli, startLib } from './db.js';

const made = (i: Instance): string | undefined =>
  (i.info.server?.dataDir as { how?: string } | undefined)?.how;

// A private state root; spares for PostgreSQL go to its RAM root (the data dirs' filesystem).
function makeRoot(t: TestContext): { stateRoot: string; spares: string } {
  const base = scratchDir(t, 'spare-');
  chmodSync(base, 0o711); // as root, the server's own user reaches its socket dir through here
  const stateRoot = join(base, 'state');
  const ramRoot = resolveRamRoot(stateRoot) as string;
  const spares = join(ramRoot, '.spares');
  // A detached refill may still be copying into .spares (on a loaded machine, after the test's last stop): wait for
  // its lock to go before removing the root under it.
  t.after(async () => {
    const filling = () => existsSync(spares) && readdirSync(spares).some((n) => n.endsWith('.filling'));
    await waitFor('the spare refills to finish', () => !filling(), 60_000);
    rmSync(ramRoot, { recursive: true, force: true });
  });
  return { stateRoot, spares };
}

// The complete spares (not refills in progress) in a spares dir.
const listSpares = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

test('the next PostgreSQL launch takes the spare by rename; it works; a new spare is refilled after ready', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
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
  assert.deepEqual(listSpares(spares), [name], 'the spare stays for the next run');
});

test('concurrent launches: one takes the spare, the others clone; all work', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  await (await startLib(t, 'postgresql', { stateRoot })).stop();
  await waitFor('the spare', () => listSpares(spares).length === 1);
  const all = await Promise.all([1, 2, 3].map(() => startLib(t, 'postgresql', { stateRoot })));
  assert.deepEqual(all.map(made).sort(), ['cloned', 'cloned', 'spare']);
  assert.deepEqual(await Promise.all(all.map((i) => selectOne(i.url as string))), [1, 1, 1]);
  await Promise.all(all.map((i) => i.stop()));
});

test('a spare swapped for a symlink is never taken nor followed; a rebuilt snapshot never hands out an old spare', async (t) => {
  const { stateRoot, spares } = makeRoot(t);
  await (await startLib(t, 'postgresql', { stateRoot })).stop();
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
  // `snapshots clear` and a rebuild: the spare named after the old build is stale, never used, swept by gc.
  const env = { QUICKDB_WATCHER_CACHE: process.env.QUICKDB_WATCHER_CACHE, QUICKDB_WATCHER_STATE: stateRoot };
  const cacheSaved = process.env.QUICKDB_WATCHER_CACHE;
  const cache = scratchDir(t, 'cache-');
  process.env.QUICKDB_WATCHER_CACHE = cache;
  t.after(() => {
    process.env.QUICKDB_WATCHER_CACHE = cacheSaved;
  });
  const rebuilt = await startLib(t, 'postgresql', { stateRoot });
  assert.equal(made(rebuilt), 'built');
  await rebuilt.stop();
  const gc = await runCli(['gc'], { ...env, QUICKDB_WATCHER_CACHE: cache });
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, new RegExp(`a stale snapshot spare .*${name}`));
  assert.deepEqual(readdirSync(decoy), ['keep.txt'], 'sweeping the link removed the link only');
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
