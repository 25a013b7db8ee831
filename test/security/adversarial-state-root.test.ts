// Adversarial pass: a state root below a dir that someone else may write (not sticky) is refused, by the CLI and by
// the watcher itself: whoever can rename entries there can swap the instance dir and have us run their spec.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { ROOT, testBase } from '../helpers/env.js';
import { scaleDeadline } from '../helpers/load.js';

const run = promisify(execFile);

test('up refuses a state root below a dir others may write', async (t) => {
  const base = mkdtempSync(join(testBase(), 'adv-root-'));
  const shared = join(base, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777); // not sticky: anyone may rename our state root away and put theirs in its place
  const env = { ...process.env, QUICKDB_WATCHER_STATE: join(shared, 'state') };
  const up = await runCli(
    ['up', 'command', '--id', 'adv-root', '--parent', 'none', '--', 'sleep', '60'],
    env,
  );
  t.after(async () => {
    // After-hooks run first to last: a wrongly started instance is stopped before its dirs go.
    await runCli(['stop', 'adv-root'], env);
    rmSync(base, { recursive: true, force: true });
  });
  assert.equal(up.code, 2, up.stderr);
  assert.match(up.stderr, /QUICKDB_WATCHER_STATE/);
  assert.match(up.stderr, /others may write/);
});

test('the watcher refuses a spec in a dir below a dir others may write, and runs nothing', async (t) => {
  const base = mkdtempSync(join(testBase(), 'adv-root-'));
  const shared = join(base, 'shared');
  const env = { ...process.env, QUICKDB_WATCHER_STATE: join(shared, 'state') };
  mkdirSync(shared, { mode: 0o755 });
  const gen = await runCli(
    ['generate', 'systemd', 'command', '--id', 'adv-spec', '--', 'sh', '-c', 'echo ran'],
    env,
  );
  assert.equal(gen.code, 0, gen.stderr);
  const proof = join(base, 'ran');
  // The spec an attacker planted after swapping the state root (written here in place, to the same effect).
  const specPath = join(shared, 'state', 'adv-spec', 'spec.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  spec.server.argv = ['sh', '-c', `touch ${proof}`];
  writeFileSync(specPath, JSON.stringify(spec));
  chmodSync(shared, 0o777);
  t.after(async () => {
    // After-hooks run first to last: make the root safe again, remove the prepared instance, then the dirs.
    chmodSync(shared, 0o755);
    await runCli(['stop', 'adv-spec'], env);
    rmSync(base, { recursive: true, force: true });
  });
  const runner = await run(process.execPath, [join(ROOT, 'dist', 'runner.js'), specPath], {
    env,
    timeout: scaleDeadline(20_000),
  }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(runner.code, 2, runner.stderr);
  assert.match(runner.stderr, /others may write/);
  assert.equal(existsSync(proof), false, 'the planted server never ran');
});
