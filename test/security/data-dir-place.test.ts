// Data dirs that would be mistaken for state or for another instance's data are refused at `up` (issue 10 item 5).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { type CliResult, runCli } from '../helpers/cli.js';
import { scratchDir, stateRoot } from '../helpers/env.js';
import { startFixture } from '../helpers/instance.js';

// `up command --data-dir dir`, stopping whatever it started (an old build accepts these dirs).
async function up(t: TestContext, dir: string, extra: string[] = []): Promise<CliResult> {
  const r = await runCli([
    'up',
    'command',
    '--format',
    'json',
    '--data-dir',
    dir,
    ...extra,
    '--',
    'sleep',
    '1000',
  ]);
  if (r.code === 0) {
    const id = JSON.parse(r.stdout).id as string;
    t.after(() => runCli(['stop', id]));
  }
  return r;
}

test('up --data-dir directly under the state root, or in another instance state dir: exit 2', async (t) => {
  mkdirSync(stateRoot(), { recursive: true });
  const loose = join(stateRoot(), 'loose-data');
  const r = await up(t, loose);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /--data-dir: ".*loose-data" is not valid: is inside the state root .* but not inside this instance's own dir/,
  );
  assert.equal(existsSync(loose), false);
  const other = join(stateRoot(), 'someone-else', 'data');
  const r2 = await up(t, other, ['--id', 'place-1']);
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /not inside this instance's own dir .*place-1/);
  assert.equal(existsSync(join(stateRoot(), 'someone-else')), false);
});

test("up --data-dir inside this instance's own state dir is accepted", async (t) => {
  const r = await up(t, join(stateRoot(), 'place-2', 'mydata'), ['--id', 'place-2']);
  assert.equal(r.code, 0, r.stderr);
});

test("up --data-dir nested inside another instance's data dir: exit 2 naming that instance", async (t) => {
  const scratch = scratchDir(t);
  const { info } = await startFixture(t, { options: { dataDir: join(scratch, 'outer') } });
  const r = await up(t, join(info.dataDir, 'a', 'nested'));
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`is inside the data dir of instance "${info.id}"`));
  assert.equal(existsSync(join(info.dataDir, 'a')), false);
});
