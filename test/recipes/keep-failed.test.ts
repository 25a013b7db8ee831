// A failed test's database outlives the run (issue 23): after vitest / node --test exit, the printed URL still opens
// it with the test's rows, `list` shows it, and the printed stop command removes it; in CI nothing outlives the run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { prepareDbSandbox } from '../drivers/db.js';
import { CLI, FIXTURES, listStateEntries, ROOT, scratchDir } from '../helpers/env.js';
import { scaleDeadline } from '../helpers/load.js';
import { waitFor } from '../helpers/poll.js';
import { isRunning, killIfRunning } from '../helpers/proc.js';
import { requireRecipe } from './recipe.js';

const RUNNERS = {
  vitest: [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run'],
  'node-test': ['--test'],
} as const;

interface ShellRun {
  stateRoot: string;
  output: () => string;
  /** End the shell that ran the runner (it waits on its stdin). */
  close: () => void;
  shellPid: number;
}

// Run the fixture project's runner from a bash that stays after it (as a user's terminal does), with `env` added.
function runInShell(t: TestContext, name: keyof typeof RUNNERS, env: Record<string, string>): ShellRun {
  prepareDbSandbox();
  const dir = scratchDir(t, `keep-${name}-`);
  chmodSync(dir, 0o711); // as root, the postgres user must reach the state root below
  const stateRoot = join(dir, 'state');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, QUICKDB_WATCHER_STATE: stateRoot, NO_COLOR: '1' };
  for (const key of ['NODE_TEST_CONTEXT', 'FORCE_COLOR', 'CI', 'QUICKDB_KEEP_FAILED']) delete childEnv[key];
  const argv = [process.execPath, ...RUNNERS[name]].map((a) => `'${a}'`).join(' ');
  const shell = spawn('bash', ['-c', `${argv}; echo "runner exited $?"; read -r _`], {
    cwd: join(FIXTURES, 'keep-failed', name),
    env: { ...childEnv, TMPDIR: tmp, ...env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [shell.stdout, shell.stderr])
    stream.setEncoding('utf8').on('data', (d: string) => (output += d));
  const run = {
    stateRoot,
    output: () => output,
    close: () => shell.stdin.end(),
    shellPid: shell.pid as number,
  };
  t.after(() => {
    for (const id of listStateEntries(stateRoot)) runCli(stateRoot, 'stop', id);
    try {
      process.kill(-run.shellPid, 'SIGKILL');
    } catch {}
  });
  return run;
}

function runCli(
  stateRoot: string,
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, QUICKDB_WATCHER_STATE: stateRoot },
    encoding: 'utf8',
    timeout: scaleDeadline(60_000),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The rows of the kept database at `url`.
async function readNotes(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT body FROM notes')).rows.map((r) => r.body as string);
  } finally {
    await client.end();
  }
}

for (const name of ['vitest', 'node-test'] as const) {
  test(`${name}: a failed test's database outlives the run, opens at the printed URL, and the printed stop removes it`, async (t) => {
    if (!requireRecipe(t, name === 'vitest' ? 'vitest' : 'node-test')) return;
    const run = runInShell(t, name, {});
    await waitFor('the runner to exit', () => /runner exited 1/.test(run.output()), 180_000, 50);
    const out = run.output();
    const url = out.match(/kept database \S+ of instance \S+ for a look: (\S+)/)?.[1];
    assert.ok(url, out);
    assert.deepEqual(await readNotes(url), ['evidence'], 'the failed test wrote its row; the run has ended');
    const id = out.match(/npx quickdb-watcher stop (\S+)/)?.[1];
    assert.ok(id, `the report names the stop command: ${out}`);
    const listed = JSON.parse(runCli(run.stateRoot, 'list', '--json').stdout) as {
      id: string;
      watcherPid: number;
      serverPid: number;
      dataDir: string;
    }[];
    const kept = listed.find((i) => i.id === id);
    assert.ok(kept, `list shows the kept server: ${JSON.stringify(listed)}`);
    const stopped = runCli(run.stateRoot, 'stop', id);
    assert.equal(stopped.status, 0, stopped.stderr);
    await waitFor(
      'the kept server to be gone',
      () => !isRunning(kept.watcherPid) && !isRunning(kept.serverPid),
    );
    assert.ok(!existsSync(kept.dataDir), 'its data dir is deleted');
    await waitFor('the state root to be empty', () => listStateEntries(run.stateRoot).length === 0);
    run.close();
  });
}

test('vitest: a kept database goes when the shell that ran the run exits; in CI nothing outlives the run', async (t) => {
  if (!requireRecipe(t, 'vitest')) return;
  const local = runInShell(t, 'vitest', {});
  const ci = runInShell(t, 'vitest', { CI: 'true' });
  await waitFor(
    'both runs to exit',
    () => [local, ci].every((r) => /runner exited 1/.test(r.output())),
    240_000,
    50,
  );
  assert.match(ci.output(), /kept database \S+ [^\n]*\n {2}it goes with this run \(CI is set/, ci.output());
  await waitFor('the CI run to leave nothing', () => listStateEntries(ci.stateRoot).length === 0, 30_000);
  const listed = JSON.parse(runCli(local.stateRoot, 'list', '--json').stdout) as { watcherPid: number }[];
  assert.equal(listed.length, 1, 'the local run kept its server');
  local.close(); // the user closes the terminal
  await waitFor(
    'the kept server to go with the shell',
    () => listStateEntries(local.stateRoot).length === 0,
    30_000,
  );
  for (const i of listed) killIfRunning(i.watcherPid);
});
