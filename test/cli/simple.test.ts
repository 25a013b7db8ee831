// The fast path (simple.ts) makes exactly the call yargs makes, for every command line it takes; the rest go to yargs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCli } from '../../dist/cli/main.js';
import { parseSimple } from '../../dist/cli/simple.js';
import { readOwnVersion } from '../../dist/cli/version.js';

// What yargs makes of argv: the call, the text it printed (help, version), or the error it threw.
async function parseWithYargs(argv: string[]): Promise<{ call?: unknown; printed: string; error?: string }> {
  let printed = '';
  try {
    const call = await parseCli(argv, undefined, (t) => {
      printed += t;
    });
    return call === null ? { printed } : { call, printed };
  } catch (error) {
    return { printed, error: (error as Error).message };
  }
}

// Assert the fast path agrees with yargs on argv (when it takes argv at all); true when it took it.
async function checkAgrees(argv: string[]): Promise<boolean> {
  const simple = parseSimple(argv);
  if (simple === null) return false;
  const full = await parseWithYargs(argv);
  const label = JSON.stringify(argv);
  if ('version' in simple) {
    assert.deepEqual(full, { printed: `${readOwnVersion()}\n` }, label);
  } else {
    assert.deepEqual(full, { call: simple.call, printed: '' }, label);
  }
  return true;
}

/** Command lines the fast path must take (and agree with yargs on). */
const TAKEN: string[][] = [
  ['--version'],
  ['stop', 'abc'],
  ['stop', 'pg-1a2b3c4d'],
  ['stop', 'my_db-2'],
  ['stop', 'abc', '--keep'],
  ['kill', 'abc'],
  ['quiet', 'redis-77aa'],
  ['env', 'pg-1a2b3c4d'],
  ['status'],
  ['status', 'abc'],
  ['status', '--json'],
  ['status', 'abc', '--json'],
  ['list'],
  ['list', '--json'],
  ['gc'],
  ['gc', '--dry-run'],
  // Ids that read as words elsewhere: yargs keeps them as strings too.
  ['stop', 'list'],
  ['stop', 'true'],
  ['stop', 'false-1'],
  ['stop', 'NaN'],
  ['stop', 'Infinity'],
  ['status', 'null'],
  ['stop', 'version'],
  ['status', 'constructor', '--json'],
];

/** Command lines it must leave to yargs: other flags, other spellings, odd or extra arguments. */
const LEFT: string[][] = [
  [],
  ['-v'],
  ['--help'],
  ['-h'],
  ['--version', 'stop'],
  ['stop', '--version'],
  ['stop'],
  ['stop', '--', 'abc'],
  ['stop', 'abc', 'extra'],
  ['stop', '--json', 'abc'],
  ['stop', '--keep', 'abc'],
  ['stop', 'abc', '--keep=true'],
  ['stop', 'abc', '--no-keep'],
  ['stop', 'abc', '--help'],
  ['stop', 'abc', '--', 'x'],
  ['stop', '123'],
  ['stop', '1e3'],
  ['stop', '0x10'],
  ['stop', '-abc'],
  ['stop', ''],
  ['stop', 'a.b'],
  ['stop', 'a b'],
  ['stop', 'a--b'],
  ['stop', 'a-'],
  ['stop', 'a=b'],
  ['kill', 'abc', '--keep'],
  ['quiet', 'abc', '--keep'],
  ['env', 'abc', '--keep'],
  ['env'],
  ['env', 'abc', 'def'],
  ['env', 'help'],
  ['STOP', 'abc'],
  ['stop', 'abc', '--KEEP'],
  ['list', '--js'],
  ['list', '--json', '--json'],
  ['list', 'extra'],
  ['list', '--no-json'],
  ['status', 'abc', 'def'],
  ['status', '--json', 'abc'],
  ['status', 'abc', '--json', '--json'],
  ['gc', '--dry-run=false'],
  ['gc', '--dry-run', 'x'],
  ['snapshots', 'list'],
  // yargs reads `help` as its help command even in the place of an id.
  ['stop', 'help'],
  ['status', 'help'],
  ['stop', '__proto__'],
];

test('simple: the fast path takes the plain forms and makes the call yargs makes', async () => {
  for (const argv of TAKEN)
    assert.ok(await checkAgrees(argv), `fast path should take ${JSON.stringify(argv)}`);
});

test('simple: any other form is left to yargs', () => {
  for (const argv of LEFT) assert.equal(parseSimple(argv), null, JSON.stringify(argv));
});

test('simple: on random command lines the fast path never disagrees with yargs', async () => {
  const token = fc.oneof(
    fc.constantFrom('stop', 'kill', 'quiet', 'status', 'list', 'gc', 'up', '--version', '--help', '-v'),
    fc.constantFrom('--keep', '--json', '--dry-run', '--no-keep', '--', '-k', '--keep=false', 'abc', 'x-1'),
    fc.constantFrom(
      'true',
      'false',
      '0',
      '1e2',
      '-1',
      'a.b',
      'a_b',
      'pg-1a2b3c4d',
      '',
      ' ',
      'é',
      'help',
      'version',
    ),
    fc.constantFrom('__proto__', 'constructor', '$0', '_', 'h', '-h', '--help', '--version', '--json=true'),
    fc.stringMatching(/^[-A-Za-z0-9_.=]{1,6}$/),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.tuple(
        fc.constantFrom('stop', 'kill', 'quiet', 'env', 'status', 'list', 'gc'),
        fc.array(token, { maxLength: 3 }),
      ),
      async ([name, rest]) => {
        await checkAgrees([name, ...rest]);
      },
    ),
    { numRuns: 400 },
  );
});
