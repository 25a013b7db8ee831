// Where `up`'s default parent cannot be known across a change of user, it refuses (exit 2, naming --parent $$ and
// exec) and starts nothing: a program of another user that is neither a shell nor a known wrapper, and a process
// that /proc hides from us.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, FIXTURES, requireOrSkip } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { findUid, has, makeUserRoots, quote, startShell, TYPED_UP } from '../helpers/shell.js';

const USER = 'nobody';
const ADVICE = /--parent \$\$.*`quickdb-watcher exec`/s;
const upArgs = (id: string): string[] => [
  ...['up', 'command', '--id', id, '--ready-log', '^READY$', '--stop-grace', '500'],
  ...['--', process.execPath, join(FIXTURES, 'server.mjs'), 'polite'],
];

test('a program (not a shell) that runs up as another user is refused: it may switch users and end with it', async (t) => {
  const uid = findUid(USER);
  if (!requireOrSkip(t, process.getuid?.() === 0 && uid !== null, `root, and the user ${USER}`)) return;
  const id = `as-user-${process.pid}`;
  const roots = makeUserRoots(t, USER, id);
  // This test process plays the user-switching program: it starts the CLI as another user and outlives it.
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const env = { ...process.env, ...roots.env };
    execFile(
      process.execPath,
      [CLI, ...upArgs(id)],
      { uid: uid as number, gid: uid as number, cwd: '/', env },
      (e, _o, stderr) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stderr }),
    );
  });
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(`process ${process.pid} \\(node\\) runs as uid 0 and what it ran as uid ${uid}`),
  );
  assert.match(result.stderr, ADVICE);
  assert.equal(existsSync(join(roots.stateRoot, id)), false, 'nothing was started');
});

// A /proc that hides other users' processes (hidepid=2), in a mount namespace of its own; then `su` to USER.
const HIDDEN = `mount -t proc -o hidepid=2 proc /proc && su -s /bin/sh ${USER} -c ${quote(TYPED_UP)}; echo "rc=$?"; read line`;

test('su under a /proc that hides root\'s processes: refused as hidden, not as "exited"', async (t) => {
  const mount = ['-m', '--propagation', 'private', 'mount', '-t', 'proc', '-o', 'hidepid=2', 'proc', '/proc'];
  const canMount = has('unshare') && spawnSync('unshare', mount).status === 0;
  const what = `a private mount of /proc with hidepid=2, and the user ${USER}`;
  if (!requireOrSkip(t, canMount && findUid(USER) !== null, what)) return;
  const argv = ['unshare', '-m', '--propagation', 'private', 'sh', '-c', HIDDEN];
  const started = startShell(t, argv, { user: USER });
  const rc = await waitFor('su to return', () => /rc=(\d+)/.exec(started.output()), 60_000);
  assert.equal(rc[1], '2', started.output());
  assert.match(started.output(), /process \d+, which ran \d+, is hidden from this user/);
  assert.match(started.output(), ADVICE);
  assert.equal(existsSync(join(started.stateRoot, started.id)), false, 'nothing was started');
});
