// Adversarial pass: `generate --out DIR` into a dir others can write (a shared /tmp dir) never writes through a
// planted symlink, and never keeps a planted file (whose owner could edit the unit after it is generated).
import assert from 'node:assert/strict';
import { chownSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/env.js';

test('generate --out replaces a planted symlink instead of writing through it', async (t) => {
  const dir = scratchDir(t, 'adv-gen-');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  const out = join(dir, 'out');
  const id = `adv-gen-${process.pid}`;
  mkdirSync(out, { mode: 0o1777 });
  symlinkSync(victim, join(out, `quickdb-${id}.service`));
  symlinkSync(victim, join(out, `quickdb-${id}.spec.json`));
  t.after(() => runCli(['stop', id]));
  const gen = await runCli(['generate', 'systemd', 'command', '--id', id, '--out', out, '--', 'sleep', '1']);
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the symlink target is untouched');
  for (const name of [`quickdb-${id}.service`, `quickdb-${id}.spec.json`]) {
    assert.ok(lstatSync(join(out, name)).isFile(), `${name} is a regular file of its own`);
  }
});

test('generate --out does not keep a file planted by another user', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root (to plant a file owned by another user)');
    return;
  }
  const dir = scratchDir(t, 'adv-gen-');
  const out = join(dir, 'out');
  const id = `adv-gen2-${process.pid}`;
  mkdirSync(out, { mode: 0o1777 });
  const unit = join(out, `quickdb-${id}.service`);
  writeFileSync(unit, '', { mode: 0o666 });
  chownSync(unit, 65534, 65534);
  t.after(() => runCli(['stop', id]));
  const gen = await runCli(['generate', 'systemd', 'command', '--id', id, '--out', out, '--', 'sleep', '1']);
  assert.equal(gen.code, 0, gen.stderr);
  const st = lstatSync(unit);
  assert.equal(st.uid, 0, 'the unit belongs to whoever generated it');
  assert.equal(st.mode & 0o022, 0, 'and no one else may write it');
});
