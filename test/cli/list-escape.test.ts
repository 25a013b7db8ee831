// `list` and `status` never pass a path's control characters (a newline, a terminal escape) through to the terminal,
// nor a server description of the wrong shape read back from spec.json.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// What `status` (text and --json) and `list` (text and --json) show of the instance's server.
async function readServer(
  id: string,
): Promise<{ text: string; json: unknown; listed: unknown; row: string }> {
  const text = (await runCli(['status', id])).stdout;
  const json = JSON.parse((await runCli(['status', id, '--json'])).stdout).server;
  const list = JSON.parse((await runCli(['list', '--json'])).stdout) as { id: string; server: unknown }[];
  const row = (await runCli(['list'])).stdout.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';
  return { text, json, listed: list.find((v) => v.id === id)?.server, row };
}

test("spec.json's server of the wrong shape is not shown; a binary path's escape sequence is shown escaped", async (t) => {
  const id = `server-${process.pid}`;
  const up = await upCommand(id);
  assert.equal(up.code, 0, up.stderr);
  const path = join(stateRoot(), id, 'spec.json');
  const text = readFileSync(path, 'utf8');
  t.after(async () => {
    writeFileSync(path, text);
    await runCli(['stop', id]);
  });
  const original = JSON.parse(text);
  const tamper = (server: unknown): void =>
    writeFileSync(path, JSON.stringify({ ...original, info: { ...original.info, server } }));
  const binary = '/opt/redis\u001b[2J\nFAKE ROW/redis-server';
  for (const server of [
    { engine: 'redis', version: '7.0.15\u001b[31m', binary: '/usr/bin/redis-server', source: 'PATH' },
    { engine: 'redis', version: 7, binary: '/usr/bin/redis-server', source: 'PATH' },
    { engine: 'redis', version: '7.0.15', binary: ['/usr/bin/redis-server'], source: 'PATH' },
    'redis 7.0.15',
  ]) {
    tamper(server);
    const shown = await readServer(id);
    assert.deepEqual([shown.json, shown.listed], [null, null], `refused: ${JSON.stringify(server)}`);
    assert.match(shown.text, /^server {6}-$/m);
    assert.match(shown.row, new RegExp(`^${id} +command  `), 'the DRIVER cell names no version');
  }
  tamper({ engine: 'redis', version: '7.0.15', binary, source: 'PATH', runAs: 3, dataDir: { how: '\n' } });
  const shown = await readServer(id);
  const expected = { engine: 'redis', version: '7.0.15', binary, source: 'PATH' };
  assert.deepEqual([shown.json, shown.listed], [expected, expected], 'wrong optional fields left out');
  assert.equal(`${shown.text}${shown.row}`.includes('\u001b'), false, 'no raw escape');
  assert.match(
    shown.text,
    /^server {6}redis 7\.0\.15 from PATH: \/opt\/redis\\x1b\[2J\\x0aFAKE ROW\/redis-server$/m,
  );
  assert.match(shown.row, new RegExp(`^${id} +command 7\\.0\\.15  `));
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
