// A full disk under the state root: `up` fails at once with exit 1 naming what it could not write (or that the
// watcher could not start), and leaves nothing behind: no state, no half-written marker, no process.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, requireOrSkip } from '../helpers/env.js';
import { findInstanceProcesses } from '../helpers/proc.js';
import { canMount, mountScratch } from './mount-scratch.js';

const SIZE_KB = 64;

for (const freeKb of [12, 8, 4, 2]) {
  test(`a state root with ${freeKb} KB free: exit 1, a clear reason, nothing left`, async (t) => {
    if (!requireOrSkip(t, canMount(), 'root on Linux (to mount a tiny tmpfs)')) return;
    const scratch = mountScratch(t);
    const fs = join(scratch.dir, 'tiny');
    scratch.mount(fs);
    execFileSync('mount', ['-o', `remount,size=${SIZE_KB}k`, fs]);
    const state = join(fs, 'state');
    mkdirSync(state, { mode: 0o700 });
    // Fill the filesystem up to `freeKb` (tmpfs counts whole 4 KB pages).
    writeFileSync(join(fs, 'filler'), Buffer.alloc((SIZE_KB - freeKb) * 1024));
    const env = { ...process.env, QUICKDB_WATCHER_STATE: state };
    const server = [process.execPath, join(FIXTURES, 'server.mjs'), 'polite'];
    const up = await runCli(
      ['up', 'command', '--parent', 'none', '--ready-log', '^READY$', '--', ...server],
      env,
    );
    if (up.code === 0) {
      // Enough room after all (page rounding): then it must work and stop cleanly.
      const id = /quickdb-watcher: (\S+) is ready/.exec(up.stdout)?.[1] ?? '';
      assert.equal((await runCli(['stop', id], env)).code, 0);
    } else {
      assert.equal(up.code, 1, up.stderr);
      assert.match(
        up.stderr,
        /cannot write \S+|ENOSPC|the watcher exited before the server was ready/,
        up.stderr,
      );
      assert.doesNotMatch(up.stderr, /^\s+at /m, 'no stack trace');
    }
    assert.deepEqual(readdirSync(state), [], 'nothing left in the state root');
    assert.deepEqual(findInstanceProcesses(state), [], 'no server left');
  });
}
