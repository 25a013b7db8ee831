// Round three: every dir whose contents we trust is private, every file is written one way, and removals in the
// cache touch only what is ours. Each attack comes from a local user who can write a shared dir we were pointed at.
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readVersionLine } from '../../dist/state/process/tool-version.js';
import { runCli, upCommand } from '../helpers/cli.js';
import { scratchDir } from '../helpers/env.js';
import { killIfRunning } from '../helpers/proc.js';

const isRoot = process.getuid?.() === 0;
/** Another local user: the one who plants things. */
const OTHER_UID = 65534;

// A victim dir holding a file, to see that nothing reached it.
function makeVictim(dir: string): string {
  const victim = join(dir, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'precious'), 'keep me\n');
  return victim;
}

test('versions.json is never written through a link planted at a predictable temp name', (t) => {
  const scratch = scratchDir(t);
  const cache = join(scratch, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const victim = join(scratch, 'victim-file');
  writeFileSync(victim, 'keep me\n');
  // The names the cache was written through: versions.json.<pid>.tmp.
  symlinkSync(victim, join(cache, `versions.json.${process.pid}.tmp`));
  const saved = process.env.QUICKDB_WATCHER_CACHE;
  process.env.QUICKDB_WATCHER_CACHE = cache;
  try {
    assert.match(readVersionLine('/usr/bin/env'), /env/);
  } finally {
    process.env.QUICKDB_WATCHER_CACHE = saved;
  }
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n', 'the file behind the link is untouched');
  const written = readFileSync(join(cache, 'versions.json'), 'utf8');
  assert.match(written, /env/, 'versions.json itself holds the entry');
});

test('`snapshots clear` refuses a snapshots dir that is a link, and deletes nothing behind it', async (t) => {
  const scratch = scratchDir(t);
  const cache = join(scratch, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const victim = makeVictim(scratch);
  symlinkSync(victim, join(cache, 'snapshots'));
  const r = await runCli(['snapshots', 'clear'], { ...process.env, QUICKDB_WATCHER_CACHE: cache });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /QUICKDB_WATCHER_CACHE: .*snapshots.* is not valid: is a symbolic link \(a dir we trust is reached with no link on the way\)/,
  );
  assert.deepEqual(readdirSync(victim), ['precious']);
});

test('`snapshots clear` removes only entries that are ours by name and type', async (t) => {
  const scratch = scratchDir(t);
  const cache = join(scratch, 'cache');
  const snapshots = join(cache, 'snapshots');
  mkdirSync(snapshots, { recursive: true, mode: 0o700 });
  const victim = makeVictim(scratch);
  const key = 'postgresql-15.1-abcdefabcdef';
  symlinkSync(victim, join(snapshots, key)); // a link where a snapshot dir belongs
  writeFileSync(join(snapshots, 'notes.txt'), 'mine\n'); // not a snapshot entry at all
  mkdirSync(join(snapshots, 'postgresql-15.1-012345678901', 'data'), { recursive: true });
  mkdirSync(join(snapshots, `.build-${key}-123`, 'data'), { recursive: true });
  const r = await runCli(['snapshots', 'clear'], { ...process.env, QUICKDB_WATCHER_CACHE: cache });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /removed 2 snapshot entries/);
  assert.match(r.stdout, /left notes\.txt: not a snapshot dir of ours/);
  assert.match(r.stdout, new RegExp(`left ${key}: not a snapshot dir of ours`));
  assert.deepEqual(readdirSync(snapshots).sort(), ['notes.txt', key]);
  assert.deepEqual(readdirSync(victim), ['precious']);
});

test('a cache root others may write is refused, naming QUICKDB_WATCHER_CACHE; a snapshot planted there is never used', async (t) => {
  const scratch = scratchDir(t);
  const shared = join(scratch, 'shared');
  mkdirSync(join(shared, 'snapshots'), { recursive: true });
  chmodSync(shared, 0o777);
  const env = { ...process.env, QUICKDB_WATCHER_CACHE: shared };
  const list = await runCli(['snapshots', 'list'], env);
  assert.equal(list.code, 2, list.stdout + list.stderr);
  assert.match(
    list.stderr,
    /QUICKDB_WATCHER_CACHE: ".*shared" is not valid: others may write .*shared \(mode 777/,
  );
  const up = await runCli(['up', 'postgresql', '--parent', 'none', '--format', 'json'], env);
  assert.equal(up.code, 2, up.stdout + up.stderr);
  assert.match(up.stderr, /QUICKDB_WATCHER_CACHE: ".*shared" is not valid: others may write/);
  assert.deepEqual(readdirSync(join(shared, 'snapshots')), [], 'nothing was built or taken there');
});

test('a default state root another user made first is replaced by a private fallback, with a notice', async (t) => {
  if (!isRoot) return t.skip('needs root to plant a dir as another user');
  const scratch = scratchDir(t);
  const tmp = join(scratch, 'tmp');
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777); // like /tmp
  const squatted = join(tmp, `quickdb-watcher-${process.getuid?.()}`);
  mkdirSync(squatted, { mode: 0o700 });
  chownSync(squatted, OTHER_UID, OTHER_UID);
  const xdgCache = join(scratch, 'xdg-cache');
  mkdirSync(xdgCache, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, XDG_CACHE_HOME: xdgCache };
  delete env.QUICKDB_WATCHER_STATE;
  delete env.XDG_RUNTIME_DIR;
  const id = `squat-${process.pid}`;
  const up = await upCommand(id, [], undefined, env);
  const fallback = join(xdgCache, 'quickdb-watcher', 'state');
  let watcherPid = 0;
  t.after(async () => {
    await runCli(['stop', id], env);
    if (watcherPid) killIfRunning(watcherPid);
  });
  assert.equal(up.code, 0, up.stderr);
  const shown = JSON.parse(up.stdout) as { stateDir: string; watcherPid: number };
  watcherPid = shown.watcherPid;
  assert.equal(shown.stateDir, join(fallback, id));
  assert.match(
    up.stderr,
    new RegExp(`notice: ${squatted} belongs to uid ${OTHER_UID}.*using ${fallback} instead`),
  );
  const list = await runCli(['list'], env);
  assert.match(list.stdout, new RegExp(id), 'list looks in the same fallback');
  const stop = await runCli(['stop', id], env);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(existsSync(join(fallback, id)), false);
  assert.deepEqual(readdirSync(squatted), [], "nothing was put in the other user's dir");
});

test('every command that reads or acts on a state root others may write refuses it, naming QUICKDB_WATCHER_STATE', async (t) => {
  const scratch = scratchDir(t);
  const shared = join(scratch, 'shared-state');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  const env = { ...process.env, QUICKDB_WATCHER_STATE: shared };
  for (const args of [
    ['list'],
    ['status'],
    ['stop', 'some-id'],
    ['kill', 'some-id'],
    ['gc'],
    ['env', 'some-id'],
  ]) {
    const r = await runCli(args, env);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(
      r.stderr,
      /QUICKDB_WATCHER_STATE: ".*shared-state" is not valid: others may write/,
      args.join(' '),
    );
  }
});

test('a default cache root that cannot be made (HOME unwritable) moves into the state root, with a notice', async (t) => {
  const scratch = scratchDir(t);
  const state = join(scratch, 'state');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(scratch, 'no', 'such', 'home'),
    QUICKDB_WATCHER_STATE: state,
  };
  delete env.QUICKDB_WATCHER_CACHE;
  delete env.XDG_CACHE_HOME;
  // A file where the home dir's parent should be: nothing can be made below it.
  writeFileSync(join(scratch, 'no'), 'not a dir\n');
  const r = await runCli(['snapshots', 'list'], env);
  assert.equal(r.code, 0, r.stderr);
  const fallback = join(state, '.cache');
  assert.match(
    r.stderr,
    new RegExp(
      `notice: the cache .*no/such/home/\\.cache/quickdb-watcher cannot be made: .*using ${fallback} instead`,
    ),
  );
  assert.match(r.stdout, new RegExp(`no snapshots in ${join(fallback, 'snapshots')}`));
});

test('a default state root in a dir others may write (XDG_RUNTIME_DIR shared) falls back too, and list/stop find it', async (t) => {
  const scratch = scratchDir(t);
  const shared = join(scratch, 'runtime');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  const xdgCache = join(scratch, 'xdg-cache');
  mkdirSync(xdgCache, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: shared, XDG_CACHE_HOME: xdgCache };
  delete env.QUICKDB_WATCHER_STATE;
  const id = `shared-runtime-${process.pid}`;
  t.after(() => runCli(['stop', id], env));
  const up = await upCommand(id, [], undefined, env);
  assert.equal(up.code, 0, up.stderr);
  const fallback = join(xdgCache, 'quickdb-watcher', 'state');
  assert.equal((JSON.parse(up.stdout) as { stateDir: string }).stateDir, join(fallback, id));
  assert.match(
    up.stderr,
    /notice: .*runtime\/quickdb-watcher others may write .*runtime \(mode 777, not sticky\)/,
  );
  assert.equal(existsSync(join(shared, 'quickdb-watcher')), false, 'nothing made in the shared dir');
  assert.match((await runCli(['list'], env)).stdout, new RegExp(id));
  assert.equal((await runCli(['stop', id], env)).code, 0);
});
