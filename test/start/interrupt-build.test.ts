// Ctrl-C (SIGINT to the whole process group) during the first `up --migrate`, at several points of the snapshot
// builds: no record is left behind (no ghost in `list`), no lock, and the next `up` builds and starts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { requirePostgres } from '../drivers/db.js';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir } from '../helpers/env.js';
import { registerCleanup } from '../helpers/instance.js';
import { waitFor } from '../helpers/poll.js';
import { makeProject } from './migrate-kit.js';

/** Where the build is when the group is signalled: a test of what the cache and state root show. */
type Point = (where: { snapshots: string; state: string }) => boolean;

const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
const locks = (snapshots: string): string[] => entries(snapshots).filter((n) => n.endsWith('.lock'));
const built = (snapshots: string): string[] =>
  entries(snapshots).filter((n) => !n.startsWith('.') && existsSync(join(snapshots, n, 'snapshot.json')));
const records = (state: string): string[] =>
  entries(state).filter((n) => !n.startsWith('.') && existsSync(join(state, n, 'status.json')));

const POINTS: [string, Point][] = [
  ['the migrated build took its lock', ({ snapshots }) => locks(snapshots).length >= 1],
  ['the plain snapshot is being built (initdb)', ({ snapshots }) => locks(snapshots).length === 2],
  [
    'the migrations run in the build instance',
    ({ snapshots, state }) => built(snapshots).length === 1 && records(state).length === 1,
  ],
];

// Signal the process group of a first `up --migrate` once `point` holds; then no ghost, no lock, and a next up works.
async function interruptAt(t: TestContext, what: string, point: Point): Promise<void> {
  const cache = scratchDir(t, 'cache-');
  const scratch = scratchDir(t, 'state-');
  chmodSync(scratch, 0o711); // the server's own user (we are root) reaches its data dir through it
  const state = join(scratch, 'state');
  const env = { ...process.env, QUICKDB_WATCHER_CACHE: cache, QUICKDB_WATCHER_STATE: state };
  const project = makeProject(t, { '001.sql': 'CREATE TABLE t (v int); SELECT pg_sleep(2);\n' });
  const argv = [
    CLI,
    'up',
    'postgresql',
    '--migrate',
    join(project, 'migrations'),
    '--parent',
    'none',
    '--format',
    'json',
  ];
  const child = spawn(process.execPath, argv, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  });
  const snapshots = join(cache, 'snapshots');
  await waitFor(what, () => point({ snapshots, state }) || child.exitCode !== null, 120_000, 5);
  assert.equal(child.exitCode, null, `${what}: the up ended before it could be interrupted: ${output}`);
  process.kill(-(child.pid as number), 'SIGINT');
  await exited;
  assert.deepEqual(locks(snapshots), [], `${what}: no lock is left`);
  const list = async () => JSON.parse((await runCli(['list', '--json'], env)).stdout) as { id: string }[];
  // The build instance's watcher sees its lifeline end and cleans up by itself; the up's own claim is gone at once.
  await waitFor(`${what}: no record left in list`, async () => (await list()).length === 0, 30_000, 50);
  const next = await runCli([...argv.slice(1)], env);
  assert.equal(next.code, 0, `${what}: the next up: ${next.stderr}`);
  const info = JSON.parse(next.stdout);
  registerCleanup(t, () => info);
  assert.equal((await runCli(['stop', info.id], env)).code, 0);
}

for (const [what, point] of POINTS) {
  test(`Ctrl-C during the first up --migrate when ${what}: no ghost record, no lock, the next up works`, async (t) => {
    if (!requirePostgres(t)) return;
    await interruptAt(t, what, point);
  });
}
