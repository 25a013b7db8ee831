// Deletion safety beyond test/watcher/deletion.test.ts: symlinks to / and $HOME at `up`; forbidden dirs (with forged
// markers) in a runner's spec; a swapped data dir met by gc's backstop. Each refused, reported, the content kept.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { startServer } from '../../dist/index.js';
import { collectGarbage } from '../../dist/manage/gc.js';
import { deleteOwnedDir } from '../../dist/state/files/marker.js';
import { readStatusFile } from '../../dist/state/records/status.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir, stateRoot } from '../helpers/env.js';
import { readTrace, startFixture } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { killIfRunning, waitGone } from '../helpers/proc.js';
import { RUNNER_ARGV, writeSpec } from '../helpers/spec.js';

for (const [name, target] of [
  ['/', () => '/'],
  ['$HOME', () => homedir()],
] as const) {
  test(`up --data-dir <symlink to ${name}> is refused with exit 2`, async (t) => {
    const link = join(scratchDir(t), 'link');
    symlinkSync(target(), link);
    const r = await runCli(['up', 'command', '--data-dir', link, '--', 'sleep', '1000']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--data-dir: ".*link" is not valid: is a symlink/);
  });
}

// Run the runner on a spec whose data dir is `dataDir`, stop it with SIGTERM, return its final status.
async function runAndStop(t: TestContext, dataDir: string, env: NodeJS.ProcessEnv = process.env) {
  const { spec, path, trace } = writeSpec(t, { dataDir, dataDirReal: dataDir });
  t.after(() => rmSync(spec.stateDir, { recursive: true, force: true }));
  const runner = spawn(process.execPath, [...RUNNER_ARGV, path], { env, stdio: 'ignore' });
  t.after(() => killIfRunning(runner.pid));
  await waitFor('the server to be ready', () => readTrace(trace).includes('READY'));
  process.kill(runner.pid as number, 'SIGTERM');
  await waitGone(runner.pid as number);
  return readStatusFile(join(spec.stateDir, 'status.json'));
}

test('a spec naming $HOME (with a forged marker): refused and reported, content kept', async (t) => {
  const home = join(scratchDir(t), 'home');
  mkdirSync(home);
  writeFileSync(join(home, 'precious.txt'), 'keep me');
  // Any marker will do: the forbidden-path rule comes before the marker check.
  writeFileSync(join(home, '.quickdb-watcher'), 'forged\n');
  const status = await runAndStop(t, home, { ...process.env, HOME: home });
  assert.equal(status?.dataDir.state, 'refused');
  assert.match(status?.dataDir.reason ?? '', /is \/, \$HOME or the state root; never deleted/);
  assert.match(status?.error ?? '', /data dir not deleted/);
  assert.equal(readFileSync(join(home, 'precious.txt'), 'utf8'), 'keep me');
});

// The runner refuses a spec naming / or the state root before it starts (records are checked where they are found);
// the deletion itself refuses them too, marker or not.
test('the checked deletion refuses / and the state root (with a forged marker), content kept', (t) => {
  const root = join(scratchDir(t), 'root');
  mkdirSync(root);
  writeFileSync(join(root, '.quickdb-watcher'), 'forged\n');
  writeFileSync(join(root, 'precious.txt'), 'keep me');
  const cases: [string, string][] = [
    ['/', stateRoot()],
    [root, root],
  ];
  for (const [dir, stateRootDir] of cases) {
    const verdict = deleteOwnedDir({ id: 'forged', dir, realPath: dir, stateRoot: stateRootDir });
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /is \/, \$HOME or the state root; never deleted/);
  }
  assert.equal(readFileSync(join(root, 'precious.txt'), 'utf8'), 'keep me');
});

test('gc after a SIGKILLed runner whose data dir was swapped for a symlink: refused, the victim kept', async (t) => {
  const scratch = scratchDir(t);
  const { info } = await startFixture(t, { options: { dataDir: join(scratch, 'data') } });
  const victim = join(scratch, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'precious.txt'), 'keep me');
  writeFileSync(join(victim, '.quickdb-watcher'), readFileSync(join(info.dataDir, '.quickdb-watcher')));
  process.kill(info.watcherPid, 'SIGKILL');
  await waitGone(info.watcherPid);
  renameSync(info.dataDir, join(scratch, 'moved'));
  symlinkSync(victim, info.dataDir);
  const actions = await collectGarbage(stateRoot());
  const mine = actions.find((a) => a.id === info.id);
  assert.match(mine?.detail ?? '', /data dir kept \(.*is now a symlink; not following it\)/);
  assert.equal(readFileSync(join(victim, 'precious.txt'), 'utf8'), 'keep me');
  await collectGarbage(stateRoot()); // the failed record is tidied by the next gc
});

test('a failed launch whose data dir was swapped for a symlink: the discard deletes nothing of the victim', async (t) => {
  const scratch = scratchDir(t);
  const data = join(scratch, 'data');
  const victim = join(scratch, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'precious.txt'), 'keep me');
  writeFileSync(join(victim, '.quickdb-watcher'), 'swap-fail-1\n');
  // The "server" swaps its data dir for a symlink to the victim and fails before ready.
  const script = `mv "$QUICKDB_DATA_DIR" "$QUICKDB_DATA_DIR.moved" && ln -s "${victim}" "$QUICKDB_DATA_DIR"; exit 3`;
  await assert.rejects(
    startServer({
      driver: 'command',
      id: 'swap-fail-1',
      args: ['sh', '-c', script],
      readyLog: '^READY$',
      dataDir: data,
      stateRoot: stateRoot(),
    }),
    /did not start/,
  );
  assert.equal(readFileSync(join(victim, 'precious.txt'), 'utf8'), 'keep me');
  assert.equal(readFileSync(join(victim, '.quickdb-watcher'), 'utf8'), 'swap-fail-1\n');
});
