// What `scripts/run-tests.mjs` prints when it keeps a sandbox after a leak: the dirs, their size, and a command
// that, pasted into a shell, removes them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeKeptSandbox } from '../../scripts/kept-sandbox.mjs';
import { scratchDir } from '../helpers/env.js';

test('a kept sandbox is named with its size, and the printed rm -rf removes it', (t) => {
  const scratch = scratchDir(t, 'kept-');
  const base = join(scratch, "qdw-test-it's");
  const ram = join(scratch, 'ram dir');
  for (const dir of [base, ram]) mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(base, 'sub', 'big'), Buffer.alloc(3_000_000, 1));
  writeFileSync(join(ram, 'sub', 'small'), Buffer.alloc(500_000, 1));

  const text = describeKeptSandbox([base, ram]);
  assert.match(text, /^sandbox kept for inspection \(3\.\d MB\): /);
  assert.ok(text.includes(`${base} and ${ram}`), text);
  const command = /remove it with: (.+)$/m.exec(text)?.[1] ?? '';
  assert.match(command, /^rm -rf /);
  execFileSync('bash', ['-c', command]);
  assert.equal(existsSync(base), false, `${command} removed ${base}`);
  assert.equal(existsSync(ram), false, `${command} removed ${ram}`);
});

test('a tmpfs the run mounted is unmounted first in the printed command', (t) => {
  const dir = scratchDir(t, 'kept-');
  const text = describeKeptSandbox([dir], [join(dir, 'ram')]);
  assert.ok(text.includes(`remove it with: umount ${join(dir, 'ram')} && rm -rf ${dir}`), text);
});
