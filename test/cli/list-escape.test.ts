// `list` and `status` never pass a path's control characters (a newline, a terminal escape) through to the terminal.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, upCommand } from '../helpers/cli.js';
import { scratchDir, stateRoot } from '../helpers/env.js';

test('a data dir named with a newline and an escape sequence is shown escaped', async (t) => {
  const id = `escape-${process.pid}`;
  const dataDir = join(scratchDir(t, 'esc-'), 'data\nFAKE ROW\u001b[31m');
  const up = await upCommand(id, ['--data-dir', dataDir]);
  assert.equal(up.code, 0, up.stderr);
  t.after(() => runCli(['stop', id]));
  for (const args of [['list'], ['status', id]]) {
    const out = (await runCli(args)).stdout;
    assert.equal(out.includes('\u001b'), false, `${args[0]}: no raw escape`);
    assert.doesNotMatch(out, /\nFAKE ROW/, `${args[0]}: no injected line`);
    assert.match(out, /data\\x0aFAKE ROW\\x1b\[31m/, `${args[0]}: shown escaped`);
  }
});

test("a launcher's .claim-* staging dir is not listed as an instance", async (t) => {
  const staging = join(stateRoot(), `.claim-staged-${process.pid}-0a1b2c`);
  mkdirSync(staging, { mode: 0o700 });
  t.after(() => rmSync(staging, { recursive: true, force: true }));
  writeFileSync(join(staging, 'launch.json'), `${JSON.stringify({ pid: process.pid, startTime: null })}\n`);
  const list = await runCli(['list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.doesNotMatch(list.stdout, /\.claim-staged/);
});
