// Deletion cannot be redirected (issue 10 item 2): a data dir swapped for a symlink to a decoy tree again and again
// while it is being removed never costs the decoy a file; the removal follows the dir that was checked.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deleteOwnedDir } from '../../dist/state/files/marker.js';
import { scratchDir, stateRoot } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';
import { waitGone } from '../helpers/proc.js';

const FILES = 120;
const ATTEMPTS = 40;
const ID = 'race-1';

// A tree of FILES files at the top and in sub/, with a marker naming ID.
function fillTree(dir: string, text: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, '.quickdb-watcher'), `${ID}\n`);
  for (let i = 0; i < FILES; i++) {
    writeFileSync(join(dir, `f${i}`), text);
    writeFileSync(join(dir, 'sub', `f${i}`), text);
  }
}

function countTree(dir: string): number {
  return readdirSync(dir, { recursive: true }).length;
}

// A child that swaps `data` for a symlink to `decoy` and back, as fast as it can (with short random pauses), until killed.
const SWAPPER = `
const { renameSync, symlinkSync, unlinkSync } = require('node:fs');
const [data, aside, decoy] = process.argv.slice(1);
process.stdout.write('go\\n');
const nap = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  try { renameSync(data, aside); symlinkSync(decoy, data); unlinkSync(data); renameSync(aside, data); } catch {}
  // Now and then the real dir stays in place a moment, so removals also get through on a loaded machine.
  if (Math.random() < 0.2) Atomics.wait(nap, 0, 0, Math.random() * 3);
}`;

function startSwapper(data: string, aside: string, decoy: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', SWAPPER, data, aside, decoy], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d;
  });
  return waitFor('the swapper to start', () => out.includes('go')).then(() => child);
}

// Put the real dir back at `data` (the swapper was killed at any step of its loop).
function restore(data: string, aside: string): void {
  try {
    if (lstatSync(data).isSymbolicLink()) unlinkSync(data);
  } catch {}
  if (existsSync(aside)) renameSync(aside, data);
}

test(`a data dir swapped for a symlink during its removal (${ATTEMPTS} attempts): no decoy file is ever removed`, async (t) => {
  const scratch = scratchDir(t);
  const decoy = join(scratch, 'decoy');
  fillTree(decoy, 'decoy');
  const decoyCount = countTree(decoy);
  let deleted = 0;
  let reached = 0;
  let refused = 0;
  const threw: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const data = join(scratch, `data-${attempt}`);
    const aside = `${data}.aside`;
    fillTree(data, 'ours');
    const swapper = await startSwapper(data, aside, decoy);
    try {
      for (let call = 0; call < 300 && (existsSync(data) || existsSync(aside)); call++) {
        const verdict = deleteOwnedDir({
          id: ID,
          dir: data,
          realPath: data,
          stateRoot: stateRoot(),
          cutShort: true,
        });
        if (verdict.ok) deleted++;
        else refused++;
      }
    } finally {
      swapper.kill('SIGKILL');
      await waitGone(swapper.pid as number);
    }
    restore(data, aside);
    assert.equal(countTree(decoy), decoyCount, `attempt ${attempt}: the decoy lost files`);
    if (!existsSync(data) || countTree(data) < decoyCount) reached++;
  }
  process.stderr.write(
    `race: ${reached} of ${ATTEMPTS} data dirs (partly) removed, ${deleted} complete, ${refused} refusals; decoy intact\n`,
  );
  assert.deepEqual(threw, [], 'deleteOwnedDir threw instead of returning a verdict');
  assert.ok(reached > 0, 'the removal never got through: the race did not exercise it');
});
