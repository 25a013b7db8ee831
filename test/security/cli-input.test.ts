// Property: every invalid CLI option value is refused with exit 2 and a message naming the option; nothing starts or goes.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/env.js';
import { findProcesses } from '../helpers/proc.js';

const junk = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'x',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '$(reboot)',
    '`id`',
    '; rm -rf /',
    '%n',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\d+$/.test(s)),
);
const ms = fc.oneof(
  junk,
  fc.integer({ min: 86_400_001, max: 2 ** 40 }).map(String),
  fc.integer({ max: -1 }).map(String),
);
const port = fc.oneof(
  junk,
  fc.integer({ min: 65_536, max: 2 ** 31 }).map(String),
  fc.integer({ max: -1 }).map(String),
);
const signal = junk.filter((s) => !/^(SIG)?[A-Z]+\d*$/i.test(s.trim()));

// Each option, the invalid values it gets, and how the message names it.
const OPTIONS: [string, fc.Arbitrary<string>, RegExp][] = [
  ['--stop-grace', ms, /--stop-grace/],
  ['--fast-grace', ms, /--fast-grace/],
  ['--ready-timeout', ms, /--ready-timeout/],
  ['--port', port, /--port/],
  ['--ready-port', fc.oneof(port, fc.constant('0')), /--ready-port/],
  ['--parent', junk.filter((s) => s !== 'none'), /--parent/],
  [
    '--id',
    fc
      .oneof(junk, fc.string({ minLength: 64, maxLength: 80 }))
      .filter((s) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(s)),
    /--id/,
  ],
  ['--stop-signal', signal, /--stop-signal/],
  ['--fast-stop-signal', signal, /--fast-stop-signal/],
  ['--backend', junk, /backend/],
  ['--format', junk, /format/],
  ['--ready-log', fc.constantFrom('(', '[a-', '*x', '(?<n>', '\\'), /--ready-log/],
];

test('invalid option values: exit 2, the option named, nothing started, nothing deleted', async (t) => {
  const root = join(scratchDir(t), 'state');
  mkdirSync(root);
  writeFileSync(join(root, 'canary'), 'keep me');
  const env = { ...process.env, QUICKDB_WATCHER_STATE: root };
  const marker = `cli-input-${process.pid}`;
  for (const [option, values, named] of OPTIONS) {
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        const r = await runCli(['up', 'command', `${option}=${value}`, '--', 'sleep', '1000', marker], env);
        assert.equal(r.code, 2, `${option}=${JSON.stringify(value)}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, named, `${option}=${JSON.stringify(value)}: ${r.stderr}`);
        assert.deepEqual(readdirSync(root), ['canary'], 'nothing was created');
      }),
      { numRuns: 5 },
    );
  }
  assert.deepEqual(findProcesses(marker), [], 'no server was started');
  assert.equal(readFileSync(join(root, 'canary'), 'utf8'), 'keep me');
});

test('control commands refuse a hostile or unknown id with exit 2, naming it', async (t) => {
  const root = join(scratchDir(t), 'state');
  mkdirSync(root);
  const env = { ...process.env, QUICKDB_WATCHER_STATE: root };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('stop', 'kill', 'quiet'),
      fc.constantFrom('..', '../x', '/etc', 'a/b', 'nope', '.hidden'),
      async (cmd, id) => {
        const r = await runCli([cmd, id], env);
        assert.equal(r.code, 2, `${cmd} ${id}: ${r.stderr}`);
        assert.match(r.stderr, /ID|id/, r.stderr);
      },
    ),
    { numRuns: 8 },
  );
});
