// Progress on a real pseudo-terminal (script(1)): one spinner owner per process, so a snapshot built inside a
// migration build never shares a line with it; a build another process holds is shown as waiting for its pid.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { findPgBinaries } from '../../dist/drivers/postgresql/binaries.js';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir } from '../helpers/env.js';
import { fakePgEntries, startRegistry } from '../helpers/fake-registry.js';
import { waitFor } from '../helpers/poll.js';

const FRAMES = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (.*) \d+\.\ds$/;

// Run the CLI on a pty (script -qfec); the pty's output accumulates in `output()`, `exit` resolves to the code.
function runOnPty(t: TestContext, args: string[], env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI, ...args].join(' ');
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  t.after(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exit;
  });
  return { output: () => text, exit };
}

// The spinning texts of each terminal line (frames between carriage returns, the timer cut off).
function readSpinnerLines(output: string): string[][] {
  return output.split('\n').map((line) => [
    ...new Set(
      line
        .split('\r')
        .map((frame) => FRAMES.exec(frame.replaceAll('\x1b[K', ''))?.[1])
        .filter((x): x is string => x !== undefined),
    ),
  ]);
}

test('pty: a snapshot built inside a migration build spins on its own line, then the migration goes on', async (t) => {
  const scratch = scratchDir(t, 'pty-');
  const migrations = join(scratch, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001.sql'), 'create table t (x int);\n');
  const env = { ...process.env, QUICKDB_WATCHER_CACHE: join(scratch, 'cache') };
  t.after(() => runCli(['stop', 'pty-migrated'], env));
  const up = runOnPty(
    t,
    ['up', 'postgresql', '--id', 'pty-migrated', '--parent', 'none', '--migrate', migrations],
    env,
  );
  assert.equal(await up.exit, 0, up.output());
  const lines = readSpinnerLines(up.output());
  for (const texts of lines) assert.ok(texts.length <= 1, `one task per line: ${texts.join(' | ')}`);
  const spun = lines.flat();
  assert.ok(
    spun.some((s) => s.startsWith('running the migrations once')),
    up.output(),
  );
  assert.ok(
    spun.some((s) => /^building the postgresql [\d.]+ snapshot \(once\)$/.test(s)),
    up.output(),
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line is what is checked
  assert.match(up.output(), /\r\x1b\[K✔ built the postgresql snapshot \S+ \(\d+ ms\)\r?\n/);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line is what is checked
  assert.match(up.output(), /\r\x1b\[K✔ migrated snapshot \S+ saved \(\d+ ms\)\r?\n/);
});

test('pty: a snapshot another live process is building is shown as waiting for its pid', async (t) => {
  const scratch = scratchDir(t, 'pty-');
  const cache = join(scratch, 'cache');
  const env = { ...process.env, QUICKDB_WATCHER_CACHE: cache };
  // The key this machine's postgresql snapshot has: build it once, then clear it.
  assert.equal((await runCli(['exec', 'postgresql', '--', 'true'], env)).code, 0);
  const key = (
    JSON.parse((await runCli(['snapshots', 'list', '--json'], env)).stdout) as { key: string }[]
  )[0]?.key;
  assert.ok(key);
  assert.equal((await runCli(['snapshots', 'clear'], env)).code, 0);
  // A real live process holds the build lock, as a builder in another process would.
  const holder = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => holder.kill('SIGKILL'));
  const lock = join(cache, 'snapshots', `.${key}.lock`);
  mkdirSync(lock, { mode: 0o700 });
  writeFileSync(join(lock, 'owner'), `${holder.pid}\n`);
  t.after(() => runCli(['stop', 'pty-waiter'], env));
  const up = runOnPty(t, ['up', 'postgresql', '--id', 'pty-waiter', '--parent', 'none'], env);
  const waiting = new RegExp(`waiting for the postgresql [\\d.]+ snapshot \\(built by pid ${holder.pid}\\)`);
  await waitFor('the waiting line', () => waiting.test(up.output()), 60_000);
  // The holder dies without building: its lock is stale, so the waiter builds the snapshot itself.
  holder.kill('SIGKILL');
  assert.equal(await up.exit, 0, up.output());
  for (const texts of readSpinnerLines(up.output())) assert.ok(texts.length <= 1, texts.join(' | '));
  assert.match(up.output(), /✔ done waiting for the postgresql [\d.]+ snapshot \(\d+ ms\)/);
  assert.match(up.output(), /✔ built the postgresql snapshot /);
});

test('pty: a PostgreSQL version fetched from the registry draws a bar that fills, then says where it is kept', async (t) => {
  const scratch = scratchDir(t, 'pty-');
  chmodSync(scratch, 0o711); // as root, the server's user reaches the fetched binaries through it
  const version = '13.99.0-beta.1';
  const registry = await startRegistry(
    t,
    [{ version, entries: fakePgEntries(version, findPgBinaries(undefined).dir) }],
    60,
  );
  const env = {
    ...process.env,
    QUICKDB_WATCHER_CACHE: join(scratch, 'cache'),
    npm_config_registry: registry.url,
  };
  t.after(() => runCli(['stop', 'pty-fetched'], env));
  const up = runOnPty(t, ['up', '--pg-version', '13', '--id', 'pty-fetched', '--parent', 'none'], env);
  assert.equal(await up.exit, 0, up.output());
  const bars = readSpinnerLines(up.output())
    .flat()
    .map((s) =>
      /^downloading PostgreSQL 13\.99\.0-beta\.1 .* \[([#.]{20})\] (\d+)% [\d.]+\/[\d.]+ MB$/.exec(s),
    )
    .filter((m) => m !== null)
    .map((m) => Number(m[2]));
  assert.ok(bars.length >= 2, `the bar was drawn as it filled: ${bars}`);
  assert.ok(bars.at(-1) === 100 && (bars[0] as number) < 100, `from below 100% to 100%: ${bars}`);
  assert.match(up.output(), /✔ PostgreSQL 13\.99 is in \S+\/binaries\/postgresql-13\.99\.0-beta\.1-/);
});
