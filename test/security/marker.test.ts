// The ownership marker is never written through a link and a non-regular one is foreign (issue 10 item 4).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { deleteOwnedDir, readMarker } from '../../dist/state/files/marker.js';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir, stateRoot } from '../helpers/env.js';
import { scaleDeadline } from '../helpers/load.js';

const run = promisify(execFile);

// `up --data-dir dir` with a deadline (an old build blocks forever writing into a fifo); stops what it started.
async function upWith(
  t: Parameters<typeof scratchDir>[0],
  dir: string,
): Promise<{ code: number | string; stderr: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [CLI, 'up', 'command', '--format', 'json', '--data-dir', dir, '--', 'sleep', '1000'],
      { timeout: scaleDeadline(20_000), killSignal: 'SIGKILL' },
    );
    const id = JSON.parse(stdout).id as string;
    t.after(() => runCli(['stop', id]));
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; signal: string; stderr: string };
    return { code: e.code ?? e.signal, stderr: e.stderr };
  }
}

test('up --data-dir holding only a .quickdb-watcher symlink: exit 2, the link target untouched', async (t) => {
  const scratch = scratchDir(t);
  const decoy = join(scratch, 'precious.txt');
  writeFileSync(decoy, 'keep me');
  const data = join(scratch, 'data');
  mkdirSync(data);
  symlinkSync(decoy, join(data, '.quickdb-watcher'));
  const r = await upWith(t, data);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /--data-dir: ".*data" is not valid: .*\.quickdb-watcher is a symlink, not a regular file/,
  );
  assert.equal(readFileSync(decoy, 'utf8'), 'keep me');
  // A dangling one too: an exclusive create must not make its target.
  const dangling = join(scratch, 'dangling');
  mkdirSync(dangling);
  symlinkSync(join(scratch, 'made-by-us'), join(dangling, '.quickdb-watcher'));
  assert.equal((await upWith(t, dangling)).code, 2);
  assert.throws(() => readFileSync(join(scratch, 'made-by-us')), { code: 'ENOENT' });
});

test('up --data-dir whose marker is a fifo or a dir: exit 2 (foreign), nothing written', async (t) => {
  const scratch = scratchDir(t);
  const fifo = join(scratch, 'fifo');
  mkdirSync(fifo);
  execFileSync('mkfifo', [join(fifo, '.quickdb-watcher')]);
  const r = await upWith(t, fifo);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /\.quickdb-watcher is a fifo, not a regular file/);
  const dir = join(scratch, 'dir');
  mkdirSync(join(dir, '.quickdb-watcher'), { recursive: true });
  const r2 = await upWith(t, dir);
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /\.quickdb-watcher is a directory, not a regular file/);
});

test('deletion refuses a dir whose marker is a symlink (even to a file naming the id); the target is kept', (t) => {
  const scratch = scratchDir(t);
  const decoy = join(scratch, 'forged');
  writeFileSync(decoy, 'sym-1\n');
  const data = join(scratch, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'file'), 'x');
  symlinkSync(decoy, join(data, '.quickdb-watcher'));
  assert.equal(readMarker(data), null);
  for (const cutShort of [false, true]) {
    const verdict = deleteOwnedDir({
      id: 'sym-1',
      dir: data,
      realPath: data,
      stateRoot: stateRoot(),
      cutShort,
    });
    assert.equal(verdict.ok, false);
    assert.match(
      verdict.ok ? '' : verdict.reason,
      /\.quickdb-watcher is a symlink, not a regular file; not ours/,
    );
  }
  assert.equal(readFileSync(decoy, 'utf8'), 'sym-1\n');
  assert.equal(readFileSync(join(data, 'file'), 'utf8'), 'x');
});
