// A real other user (nobody) whose HOME cannot hold a cache (none there, or read-only): up, up --migrate (the snapshot
// cache), list, stop and gc work, the cache moving into the state root with a one-line notice that names the fix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import type { CliResult } from '../helpers/cli.js';
import { CLI, requireOrSkip, scratchDir } from '../helpers/env.js';
import { findUid } from '../helpers/shell.js';

const USER = 'nobody';
const run = promisify(execFile);

// Run the CLI as USER with this HOME (runuser itself would set the user's own HOME); never throws on an exit code.
async function runAs(args: string[], env: NodeJS.ProcessEnv, home: string): Promise<CliResult> {
  const argv = ['-u', USER, '--', 'env', `HOME=${home}`, process.execPath, CLI, ...args];
  try {
    return { code: 0, ...(await run('runuser', argv, { env })) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// A scratch dir nobody can traverse, with a state root of its own and a migrations dir it may read.
function prepareSandbox(t: TestContext, uid: number): { state: string; migrations: string; scratch: string } {
  const scratch = scratchDir(t, 'home-');
  chmodSync(scratch, 0o711);
  const state = join(scratch, 'state');
  mkdirSync(state, { mode: 0o700 });
  chownSync(state, uid, -1);
  const migrations = join(scratch, 'migrations');
  mkdirSync(migrations, { mode: 0o755 });
  writeFileSync(join(migrations, '001.sql'), 'create table t (x int);\n', { mode: 0o644 });
  return { state, migrations, scratch };
}

const HOMES: [string, (scratch: string, uid: number) => string][] = [
  ['HOME=/nonexistent', () => '/nonexistent'],
  [
    'a read-only home',
    (scratch, uid) => {
      const home = join(scratch, 'home');
      mkdirSync(home, { mode: 0o555 });
      chownSync(home, uid, -1);
      return home;
    },
  ],
];

for (const [name, makeHome] of HOMES) {
  test(`${USER} with ${name}: up, up --migrate, list, stop and gc work; the cache notice names the fix`, async (t) => {
    const uid = findUid(USER);
    if (!requireOrSkip(t, process.getuid?.() === 0 && uid !== null, `root and the user ${USER}`)) return;
    const ids = ['home-redis', 'home-pg'];
    // Registered first, so it runs before the sandbox (holding the state root) is removed.
    t.after(async () => {
      for (const id of ids) await as(['stop', id]);
    });
    const { state, migrations, scratch } = prepareSandbox(t, uid as number);
    const home = makeHome(scratch, uid as number);
    const env: NodeJS.ProcessEnv = { ...process.env, QUICKDB_WATCHER_STATE: state };
    delete env.QUICKDB_WATCHER_CACHE;
    delete env.XDG_CACHE_HOME;
    function as(args: string[]): Promise<CliResult> {
      return runAs(args, env, home);
    }
    const notice = new RegExp(
      `^quickdb-watcher: notice: the cache .* cannot be made: .*; using ${join(state, '.cache')} instead ` +
        '\\(set QUICKDB_WATCHER_CACHE or XDG_CACHE_HOME to choose\\)$',
      'm',
    );
    for (const args of [
      ['up', 'redis', '--id', 'home-redis', '--parent', 'none'],
      ['up', 'postgresql', '--id', 'home-pg', '--parent', 'none', '--migrate', migrations],
    ]) {
      const up = await as(args);
      assert.equal(up.code, 0, up.stderr);
      if (args.includes('--migrate')) {
        assert.match(up.stderr, notice);
        assert.equal(up.stderr.match(/notice:/g)?.length, 1, 'the notice is said once');
      }
    }
    const list = await as(['list']);
    assert.equal(list.code, 0, list.stderr);
    for (const id of ids) assert.match(list.stdout, new RegExp(`^${id} .* ready `, 'm'));
    for (const id of ids) {
      const stop = await as(['stop', id]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, new RegExp(`^${id}: stopped; data dir deleted$`, 'm'));
    }
    const gc = await as(['gc']);
    assert.equal(gc.code, 0, gc.stderr);
    assert.doesNotMatch(gc.stderr, /error|refus/i);
  });
}
