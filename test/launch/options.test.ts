// startServer's options at run time: unknown keys refused with the closest known one, errors in library names
// (stopGraceMs, not --stop-grace), the CLI still saying its flags, and test-only options kept out of the public ones.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { type StartOptions, startServer, UsageError } from '../../dist/index.js';
import { nameForCli } from '../../dist/launch/options/flags.js';
import { normalizeInternalOptions, normalizeOptions } from '../../dist/launch/options/normalize.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/env.js';
import { expectRefused } from '../helpers/refused.js';

const unknownKeys: [Record<string, unknown>, string, string | null][] = [
  [{ drvier: 'redis' }, 'drvier', 'driver'],
  [{ stopGrace: 500 }, 'stopGrace', 'stopGraceMs'],
  [{ readytimeoutms: 500 }, 'readytimeoutms', 'readyTimeoutMs'],
  [{ stop_grace_ms: undefined }, 'stop_grace_ms', 'stopGraceMs'],
  [{ parentStartTime: '1' }, 'parentStartTime', null],
  [{ colour: 'blue' }, 'colour', null],
  [{ foo: 1 }, 'foo', null],
  [{ ip: '127.0.0.1' }, 'ip', 'id'],
];
for (const [options, key, near] of unknownKeys) {
  test(`unknown option ${key} is refused${near ? `, suggesting ${near}` : ''}`, async (t) => {
    const error = await expectRefused(t, options);
    assert.equal(error.option, key);
    const hint = near ? ` \\(did you mean ${near}\\?\\)` : '';
    assert.match(error.message, new RegExp(`^unknown option "${key}"${hint}; `));
    assert.match(
      error.message,
      /StartOptions, listed in the README \("Library"\)/,
      'says where the options are documented',
    );
    if (!near) assert.doesNotMatch(error.message, /did you mean/);
  });
}

test('known keys whose value is undefined are accepted', () => {
  const options = normalizeOptions({
    driver: undefined,
    port: undefined,
    stopGraceMs: undefined,
    parent: 'none',
  });
  assert.equal(options.driver, 'postgresql');
  assert.equal(options.stopGraceMs, 10_000);
});

test('options that are not an object are refused', async () => {
  for (const options of [null, 'redis', ['redis']]) {
    const error = await startServer(options as StartOptions).catch((e: unknown) => e);
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.option, 'options');
  }
});

test('test-only options: refused by startServer, taken by the internal normalizer', () => {
  assert.throws(() => normalizeOptions({ parent: 'none', parentStartTime: '1' } as StartOptions), UsageError);
  const internal = normalizeInternalOptions({ parent: process.pid, lifeline: false, parentStartTime: '1' });
  assert.equal(internal.parent?.startTime, '1');
});

// Bad values, the library name each error must carry, and what its message says (never a CLI flag).
const project = join(FIXTURES, '..', '..');
const badValues: [Record<string, unknown>, string, RegExp][] = [
  [{ stopGraceMs: -1 }, 'stopGraceMs', /expected whole milliseconds from 0 to 86400000/],
  [{ fastGraceMs: 1.5 }, 'fastGraceMs', /expected whole milliseconds/],
  [{ pollMs: 5 }, 'pollMs', /from 10 to 60000/],
  [{ readyTimeoutMs: '1e3' }, 'readyTimeoutMs', /expected whole milliseconds/],
  [{ port: 70000 }, 'port', /or 0 to pick a free one/],
  [{ driver: 'command', args: ['sleep', '9'], readyPort: 0 }, 'readyPort', /from 1 to 65535$/],
  [{ pool: 33 }, 'pool', /0 to 32/],
  [{ spares: 33 }, 'spares', /expected a whole number from 0 to 32/],
  [{ spares: -1 }, 'spares', /expected a whole number from 0 to 32/],
  [{ driver: 'command', args: ['sleep', '9'], pool: 1 }, 'pool', /no per-test databases/],
  [{ id: 'bad id' }, 'id', /1-63 letters/],
  [{ parent: -1 }, 'parent', /a process id/],
  [{ backend: 'docker' }, 'backend', /expected one of: auto,/],
  [{ dataOn: 'memory' }, 'dataOn', /expected one of: auto, ram, disk/],
  [
    { dataOn: 'ram', dataDir: '/nonexistent/d' },
    'dataOn',
    /cannot be combined with dataDir, which says where/,
  ],
  [{ stopSignal: 'SIGFOO' }, 'stopSignal', /expected a signal name/],
  [{ migrate: '/nonexistent' }, 'migrate', /existing directory/],
  [{ migrate: { command: 'no-such-program-qdw' } }, 'migrate.command', /was not found/],
  [
    { migrateHash: join(project, 'package.json') },
    'migrateHash',
    /only goes with migrate or migrate\.command/,
  ],
  [{ driver: 'redis', migrate: { command: 'true' } }, 'migrate', /redis runs no migrations/],
  [{ driver: 'command' }, 'args', /needs the server command/],
  [
    { driver: 'command', args: ['sleep', '9'], readyFile: 'f', readyLog: 'x' },
    'readyLog',
    /choose one of readyFile, readyPort or readyLog/,
  ],
  [{ driver: 'command', args: ['sleep', '9'], readyLog: '(' }, 'readyLog', /valid regular expression/],
  [{ driver: 'command', args: ['sleep', '9'], dataDir: '/proc/self' }, 'dataDir', /./],
];
for (const [options, option, allowed] of badValues) {
  test(`bad ${option} (${JSON.stringify(options)}) is named ${option}, not by a CLI flag`, async (t) => {
    const error = await expectRefused(t, options);
    assert.equal(error.option, option);
    assert.match(error.message, allowed);
    assert.ok(error.message.startsWith(`${option}: `), error.message);
    assert.doesNotMatch(error.message, /(^|\s)--[a-z]/, 'no CLI flag in a library message');
  });
}

test('a mistyped driver is named driver, in the words the CLI uses (test/integrations/driver-name.test.ts has more)', async (t) => {
  const error = await expectRefused(t, { driver: 'postgres' } as never);
  assert.equal(error.option, 'driver');
  assert.match(
    error.message,
    /^unknown driver "postgres"; did you mean postgresql\? drivers: command, postgresql, /,
  );
});

test('the CLI names the same errors by its flags (one table, from the error fields)', () => {
  const cases: [UsageError, string][] = [
    [new UsageError('stopGraceMs', 'x', 'expected whole milliseconds'), '--stop-grace: "x" is not valid'],
    [new UsageError('migrate.command', 'x', 'was not found'), '--migrate-command: "x" is not valid'],
    [new UsageError('driver', 'postgres', 'expected one of: …'), 'DRIVER: "postgres" is not valid'],
    [new UsageError('name', 'X', 'lower-case'), 'name: "X" is not valid'],
  ];
  for (const [error, start] of cases)
    assert.ok(nameForCli(error).message.startsWith(start), nameForCli(error).message);
  const cause = new Error('underneath');
  const mention = new UsageError('dataOn', 'ram', (name) => `cannot be combined with ${name('dataDir')}`, {
    cause,
  });
  const renamed = nameForCli(mention);
  assert.equal(renamed.message, '--data-on: "ram" is not valid: cannot be combined with --data-dir');
  assert.equal(renamed.cause, cause, 'the cause is kept');
  assert.equal(renamed.allowed, 'cannot be combined with --data-dir');
  // As the CLI meets it: raised by the library (and named for it), then named for the CLI.
  const raised = (() => {
    try {
      normalizeOptions({ dataOn: 'ram', dataDir: '/nonexistent/d' });
    } catch (error) {
      return error as UsageError;
    }
    return assert.fail('not refused');
  })();
  assert.equal(raised.allowed, 'cannot be combined with dataDir, which says where already');
  assert.equal(
    nameForCli(raised).message,
    '--data-on: "ram" is not valid: cannot be combined with --data-dir, which says where already',
  );
});

test('the CLI still says its flags for errors the library raises (--id, --parent)', async (t) => {
  const env = { ...process.env, QUICKDB_WATCHER_STATE: join(scratchDir(t, 'cli-'), 'state') };
  const cases: [string[], RegExp][] = [
    [
      ['up', 'command', '--id', 'bad id', '--parent', 'none', '--', 'sleep', '9'],
      /^quickdb-watcher: --id: "bad id" is not valid/,
    ],
    [
      ['up', 'redis', '--parent', '999999999'],
      /^quickdb-watcher: --parent: 999999999 is not valid: no such process/,
    ],
  ];
  for (const [argv, expected] of cases) {
    const result = await runCli(argv, env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, expected);
  }
});
