// `snapshots clear KEY`: only that snapshot goes; a key that names none is refused (exit 2) listing those there are.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/env.js';

test('snapshots clear KEY removes that snapshot only; an unknown KEY is refused naming it and listing the keys', async (t) => {
  const cache = scratchDir(t, 'snapshot-keys-');
  const env = { ...process.env, QUICKDB_WATCHER_CACHE: cache };
  for (const driver of ['mariadb', 'postgresql']) {
    const made = await runCli(['exec', driver, '--', 'true'], env);
    assert.equal(made.code, 0, made.stderr);
  }
  const readKeys = async (): Promise<string[]> =>
    (JSON.parse((await runCli(['snapshots', 'list', '--json'], env)).stdout) as { key: string }[]).map(
      (s) => s.key,
    );
  const keys = await readKeys();
  const [maria, pg] = [
    keys.find((k) => k.startsWith('mariadb-')),
    keys.find((k) => k.startsWith('postgresql-')),
  ];
  assert.ok(maria && pg && keys.length === 2, keys.join(' '));

  const refused = await runCli(['snapshots', 'clear', 'mariadb-nope'], env);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /^quickdb-watcher: KEY: "mariadb-nope" is not valid: expected a key `snapshots list` shows: /,
  );
  for (const key of keys) assert.ok(refused.stderr.includes(key), `${key} is listed`);
  assert.deepEqual(await readKeys(), keys, 'nothing removed');

  const cleared = await runCli(['snapshots', 'clear', maria], env);
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stdout, /^removed 1 snapshot entry from /);
  assert.deepEqual(await readKeys(), [pg]);
  assert.deepEqual(readdirSync(join(cache, 'snapshots')), [pg]);
});
