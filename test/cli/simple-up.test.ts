// The fast path's `up` (simple-up.ts) against yargs on the same command lines: the same call, and run both ways the
// same stdout, stderr and exit code (bad input: exit 2, the same message); the rest is left to yargs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCli, runParsed } from '../../dist/cli/main.js';
import { runSimple } from '../../dist/cli/simple.js';
import { makeSimpleUpCall, parseSimpleUp } from '../../dist/cli/simple-up.js';
import { controlInstance } from '../../dist/index.js';
import { runCli } from '../helpers/cli.js';
import { stateRoot } from '../helpers/env.js';

const REQUESTER = (): number => 4242;

// What one way makes of argv: the call, or the error's message.
async function settle(make: () => Promise<unknown>): Promise<{ call?: unknown; error?: string }> {
  try {
    return { call: await make() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Assert the fast path agrees with yargs on argv (when it takes it at all); true when it took it.
async function checkAgrees(argv: string[]): Promise<boolean> {
  const simple = parseSimpleUp(argv.slice(1));
  if (simple === null) return false;
  const fast = await settle(() => makeSimpleUpCall(simple, REQUESTER));
  const full = await settle(() => parseCli(argv, REQUESTER, () => {}));
  assert.deepEqual(fast, full, JSON.stringify(argv));
  return true;
}

/** Command lines the fast path must take. */
const TAKEN: string[][] = [
  ['up'],
  ['up', 'postgresql'],
  ['up', 'redis', '--parent', 'none'],
  ['up', 'mariadb', '--format', 'env'],
  ['up', 'mysql', '--format=github-env'],
  ['up', '--parent', 'none', '--format', 'json'],
  ['up', '--parent=123', '--format=text', '--id', 'pg-main'],
  ['up', '--id', 'my_db-2', '--data-on', 'ram', '--backend', 'detached'],
  ['up', '--data-dir', '/tmp/some/dir', '--port', '5433', '--database', 'app', '--user', 'app'],
  ['up', '--password', 's3cr=t', '--auth', 'trust', '--pg-version', '15', '--pg-bin', '/usr/lib/pg/bin'],
  [
    'up',
    '--pool',
    '4',
    '--stop-grace',
    '500',
    '--fast-grace',
    '200',
    '--poll',
    '100',
    '--ready-timeout',
    '9000',
  ],
  ['up', '--no-cleanup', '--no-snapshot', '--tls', '--backend', 'systemd'],
  ['up', '--id', 'true', '--user', 'false', '--database', 'null'],
];

/** Bad values the fast path takes and checks as yargs' path does (the same UsageError, exit 2). */
const BAD: string[][] = [
  ['up', '--parent', 'abc'],
  ['up', '--parent', '0'],
  ['up', '--port', '99999'],
  ['up', '--port', '0x10'],
  ['up', '--pool', '33'],
  ['up', '--stop-grace', '1e3'],
  ['up', '--poll', '5'],
  ['up', '--ready-timeout', 'soon'],
];

/** Command lines it must leave to yargs: other flags and spellings, repeats, odd values, help. */
const LEFT: string[][] = [
  ['up', 'command', '--', 'sleep', '9'],
  ['up', 'nosuch'],
  ['up', 'help'],
  ['up', '--help'],
  ['up', '--version'],
  ['up', 'postgresql', 'redis'],
  ['up', '--parent', 'none', 'postgresql'],
  ['up', '--parent'],
  ['up', '--parent', '-1'],
  ['up', '--parent', ''],
  ['up', '--parent='],
  ['up', '--parent', '1', '--parent', '2'],
  ['up', '--format', 'yaml'],
  ['up', '--format', 'JSON'],
  ['up', '--backend', 'docker'],
  ['up', '--cleanup'],
  ['up', '--no-cleanup', '--no-cleanup'],
  ['up', '--tls=false'],
  ['up', '--set', 'a=b'],
  ['up', '--env', 'X={port}'],
  ['up', '--dataOn', 'ram'],
  ['up', '-p', '1'],
  ['up', '--id', 'a b'],
  ['up', '--', 'x'],
  ['up', '--migrate', 'db/'],
];

test('simple up: the common forms make the call yargs makes, bad values the same error', async () => {
  for (const argv of [...TAKEN, ...BAD])
    assert.ok(await checkAgrees(argv), `fast path should take ${JSON.stringify(argv)}`);
});

test('simple up: any other form is left to yargs', () => {
  for (const argv of LEFT) assert.equal(parseSimpleUp(argv.slice(1)), null, JSON.stringify(argv));
});

/** Streams that keep what a command wrote. */
function captureIO(): { out: (t: string) => void; err: (t: string) => void; isTTY: boolean; text: string[] } {
  const text = ['', ''];
  return { out: (t) => (text[0] += t), err: (t) => (text[1] += t), isTTY: false, text };
}

test('simple up: bad input run both ways prints the same message and exits 2', async () => {
  const rows = [...BAD, ['up', '--data-on', 'nowhere'], ['up', '--auth', 'maybe']];
  for (const argv of rows) {
    const fast = captureIO();
    const full = captureIO();
    const codes = [await runSimple(argv, fast), await runParsed(argv, full)];
    const label = JSON.stringify(argv);
    assert.deepEqual(codes, [2, 2], label);
    assert.deepEqual(fast.text, full.text, label);
    assert.match(fast.text[1] as string, /^quickdb-watcher: --[a-z-]+: /, label);
  }
});

test('simple up: on random command lines the fast path never disagrees with yargs', async () => {
  const token = fc.oneof(
    fc.constantFrom('postgresql', 'redis', 'command', 'help', '--', '-p', '--help', '--tls', '--no-cleanup'),
    fc.constantFrom(
      '--parent',
      '--format',
      '--id',
      '--port',
      '--pool',
      '--backend',
      '--data-on',
      '--cleanup',
    ),
    fc.constantFrom('none', 'json', 'env', 'auto', 'ram', '0', '1', '1e3', '-1', '', ' ', 'é', 'true', '=x'),
    fc.stringMatching(/^[-A-Za-z0-9_.=]{1,6}$/),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(token, { maxLength: 5 }), async (rest) => {
      await checkAgrees(['up', ...rest]);
    }),
    { numRuns: 300 },
  );
});

// The shape of what `up` printed: JSON keys, or the NAME of each NAME=value line; values (port, password) vary.
function readShape(format: string, stdout: string): string[] {
  if (format === 'json') return Object.keys(JSON.parse(stdout) as object).sort();
  return stdout.split('\n').map((line) => line.split('=')[0] as string);
}

test('simple up: a real start prints what the yargs path prints', async (t) => {
  const ids: string[] = [];
  t.after(async () => {
    for (const id of ids) await controlInstance(stateRoot(), id, 'stop');
  });
  for (const format of ['json', 'env']) {
    // `--cleanup` (the default, said) is not a fast form: the same start by the full parser.
    const runs = [];
    for (const extra of [[], ['--cleanup']]) {
      const id = `simple-up-${format}-${extra.length}`;
      const run = await runCli(['up', 'redis', '--parent', 'none', '--format', format, '--id', id, ...extra]);
      if (run.code === 0) ids.push(id);
      assert.equal(run.code, 0, run.stderr);
      runs.push(run);
    }
    const [fast, full] = runs.map((run) => ({ shape: readShape(format, run.stdout), stderr: run.stderr }));
    assert.deepEqual(fast, full, format);
    assert.equal(fast?.stderr, '');
  }
});
