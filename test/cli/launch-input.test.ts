// Launch inputs at their limits: socket path length, a parent that does not exist, few file descriptors, a server
// that exits at once with no readiness check.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { type CliResult, runCli } from '../helpers/cli.js';
import { CLI, FIXTURES, scratchDir, stateRoot } from '../helpers/env.js';

const run = promisify(execFile);

// The instances under a state root (its entries, staging dirs included).
function entries(root: string): string[] {
  try {
    return readdirSync(root);
  } catch {
    return [];
  }
}

const server = [process.execPath, join(FIXTURES, 'server.mjs'), 'polite'];

test('a lifeline socket path over the unix limit is refused up front: exit 2 naming QUICKDB_WATCHER_STATE, with a hint', async (t) => {
  const deep = join(scratchDir(t), 'd'.repeat(60), 'e'.repeat(60));
  mkdirSync(deep, { recursive: true });
  const env = { ...process.env, QUICKDB_WATCHER_STATE: deep };
  // exec holds a lifeline, so its runner listens on <state>/<id>/lifeline.sock.
  const r = await runCli(
    [
      'exec',
      'command',
      '--backend',
      'detached',
      '--ready-log',
      '^READY$',
      '--server',
      server.join(' '),
      '--',
      'true',
    ],
    env,
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /QUICKDB_WATCHER_STATE/);
  assert.match(r.stderr, /lifeline\.sock.* bytes, over the 10[37]-byte limit/);
  assert.match(r.stderr, /shorter state dir/);
  assert.deepEqual(entries(deep), [], 'nothing was created');
});

test('--parent 999999 (no such process) exits 2 naming --parent', async () => {
  const r = await runCli(['up', 'command', '--parent', '999999', '--backend', 'detached', '--', ...server]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--parent: "?999999"? is not valid: no such process/);
  assert.deepEqual(
    entries(stateRoot()).filter((e) => e.startsWith('command-')),
    [],
  );
});

// Run the CLI under a small ulimit -n, with its own state root.
async function runLimited(limit: number, root: string, args: string[]): Promise<CliResult> {
  const env = { ...process.env, QUICKDB_WATCHER_STATE: root };
  const cmd = `ulimit -n ${limit}; exec "${process.execPath}" "${CLI}" "$@"`;
  try {
    const { stdout, stderr } = await run('bash', ['-c', cmd, 'bash', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Below ~18 descriptors Node itself cannot start (a native abort, out of our hands); above ~44 this launch fits.
test('with a small ulimit -n the CLI exits 1 with one clear line, no stack trace', async (t) => {
  const refused: number[] = [];
  for (const limit of [20, 24, 28, 32, 40]) {
    const root = join(scratchDir(t), 'state');
    const r = await runLimited(limit, root, [
      'up',
      'command',
      '--id',
      'ul',
      '--parent',
      'none',
      '--backend',
      'detached',
      '--',
      ...server,
    ]);
    if (r.code === 0) {
      await runCli(['stop', 'ul'], { ...process.env, QUICKDB_WATCHER_STATE: root });
      continue;
    }
    assert.equal(r.code, 1, `ulimit -n ${limit}: ${r.stderr}`);
    assert.match(r.stderr, /^quickdb-watcher: too many open files; raise ulimit -n/, `ulimit -n ${limit}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    refused.push(limit);
  }
  assert.ok(refused.length > 0, 'at least one limit was too small for the launch');
});

test('up command -- false with no readiness check is a failed start (exit 1, its exit code), never "ready"', async (t) => {
  t.after(() => runCli(['stop', 'false-1']));
  const r = await runCli([
    'up',
    'command',
    '--id',
    'false-1',
    '--parent',
    'none',
    '--backend',
    'detached',
    '--',
    'false',
  ]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /did not start: .*exited on its own with code 1/);
  assert.doesNotMatch(r.stdout, /ready/);
  const code7 = await runCli([
    'up',
    'command',
    '--parent',
    'none',
    '--backend',
    'detached',
    '--',
    'sh',
    '-c',
    'exit 7',
  ]);
  assert.equal(code7.code, 1);
  assert.match(code7.stderr, /exited on its own with code 7/);
});
