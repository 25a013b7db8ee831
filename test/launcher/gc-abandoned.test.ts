// gc after a launcher killed mid-launch (no spec yet): its empty data dir goes even before the marker was written,
// while a data dir holding anything without our marker is never deleted.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectGarbage } from '../../dist/launcher/gc.js';
import { stateRoot } from '../helpers/env.js';

test('gc of an abandoned launch: an empty unmarked data dir goes, an unmarked one with content stays', async (t) => {
  const empty = join(stateRoot(), 'gc-abandoned-empty');
  const full = join(stateRoot(), 'gc-abandoned-full');
  t.after(() => {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  });
  mkdirSync(join(empty, 'data'), { recursive: true, mode: 0o700 });
  mkdirSync(join(full, 'data'), { recursive: true, mode: 0o700 });
  writeFileSync(join(full, 'data', 'precious.txt'), 'keep me');
  const actions = await collectGarbage(stateRoot(), { launchGraceMs: 0 });
  const about = (id: string) => actions.find((a) => a.id === id);
  assert.equal(about('gc-abandoned-empty')?.detail, 'an abandoned launch without a spec');
  assert.equal(existsSync(empty), false, 'the abandoned launch left nothing');
  assert.equal(about('gc-abandoned-full')?.detail, 'an abandoned launch without a spec');
  assert.equal(
    readFileSync(join(full, 'data', 'precious.txt'), 'utf8'),
    'keep me',
    'unmarked content survives',
  );
});
