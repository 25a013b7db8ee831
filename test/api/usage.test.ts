// Bad input to the management API is a UsageError (the CLI's exit 2) naming the option, repeating the value and
// saying what is allowed; each is refused before anything is read or signalled.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type ControlAction,
  clearSnapshots,
  collectGarbage,
  controlInstance,
  inspectInstance,
  listInstances,
  openInstance,
  removeKeptInstance,
  UsageError,
} from '../../dist/index.js';
import { scratchDir, stateRoot } from '../helpers/env.js';

// Assert `run` throws a UsageError (exit code 2) for `option`, its message holding each of `words`.
async function expectUsage(run: () => unknown, option: string, ...words: string[]): Promise<void> {
  await assert.rejects(
    async () => run(),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.option, option);
      assert.equal(error.exitCode, 2);
      for (const word of words) assert.ok(error.message.includes(word), `${error.message} says ${word}`);
      return true;
    },
  );
}

test('an unknown option, a bad value or a bad action is a UsageError naming it', async () => {
  const root = { stateRoot: stateRoot() };
  await expectUsage(() => listInstances({ stateRot: '/x' } as never), 'stateRot', 'did you mean stateRoot?');
  await expectUsage(() => listInstances('/tmp' as never), 'options', '"/tmp"', 'stateRoot');
  await expectUsage(() => inspectInstance(42 as never, root), 'id', '42', 'expected the id of an instance');
  await expectUsage(() => listInstances({ stateRoot: '' }), 'stateRoot', 'expected the path of a state dir');
  await expectUsage(
    () => collectGarbage({ ...root, dryRun: 'yes' as never }),
    'dryRun',
    '"yes"',
    'true or false',
  );
  await expectUsage(
    () => controlInstance('pg-1', 'halt' as ControlAction, root),
    'action',
    '"halt"',
    'stop, keep, kill, quiet',
  );
});

test('an id that names no instance is a UsageError for every call that needs one', async () => {
  const root = { stateRoot: stateRoot() };
  assert.equal(inspectInstance('no-such-api-instance', root), null);
  const none = 'no such instance';
  await expectUsage(() => openInstance('no-such-api-instance', root), 'ID', none);
  await expectUsage(() => controlInstance('no-such-api-instance', 'stop', root), 'ID', none);
  await expectUsage(() => removeKeptInstance('no-such-api-instance', root), 'ID', none);
  // The earlier form, state root first, still works.
  await expectUsage(() => controlInstance(stateRoot(), 'no-such-api-instance', 'kill'), 'ID', none);
  await expectUsage(() => clearSnapshots({ key: 'postgresql-0.0-000000000000' }), 'key', '"postgresql-0.0');
});

test('a state root others can write is refused before any record in it is read', async (t) => {
  const open = join(scratchDir(t, 'api-open-root-'), 'state');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const options = { stateRoot: open };
  const why = 'choose a dir only you can write';
  await expectUsage(() => listInstances(options), 'QUICKDB_WATCHER_STATE', why);
  await expectUsage(() => inspectInstance('pg-1', options), 'QUICKDB_WATCHER_STATE', why);
  await expectUsage(() => openInstance('pg-1', options), 'QUICKDB_WATCHER_STATE', why);
  await expectUsage(() => collectGarbage(options), 'QUICKDB_WATCHER_STATE', why);
  await expectUsage(() => controlInstance('pg-1', 'stop', options), 'QUICKDB_WATCHER_STATE', why);
  await expectUsage(() => removeKeptInstance('pg-1', options), 'QUICKDB_WATCHER_STATE', why);
});
