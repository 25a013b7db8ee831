// The README's "Managing instances from code" example (test/types/manage-instances.ts, type-checked there) run for
// real on PostgreSQL as a user's script: it lists, inspects, opens, stops and gc's, exits 0, and leaves nothing
// under its state root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { prepareDbSandbox, requirePostgres } from '../drivers/db.js';
import { listStateEntries, ROOT, scratchDir } from '../helpers/env.js';

const run = promisify(execFile);

test('README: the managing-instances block is test/types/manage-instances.ts below its marker, verbatim', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Managing instances from code'));
  const block = /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
  const source = readFileSync(join(ROOT, 'test', 'types', 'manage-instances.ts'), 'utf8');
  assert.equal(block, source.split('// --- README block ---\n')[1]?.trimEnd());
});

test('README: managing instances from code runs as shown and leaves nothing behind', async (t) => {
  if (!requirePostgres(t)) return;
  prepareDbSandbox();
  const dir = scratchDir(t, 'readme-manage-');
  // As root, the server's own user must reach its socket dir under this one (search only).
  if (process.getuid?.() === 0) chmodSync(dir, 0o711);
  const state = join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  const script = join(ROOT, 'test', 'types', 'manage-instances.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, QUICKDB_WATCHER_STATE: state },
    timeout: 120_000,
  });
  const lines = stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^postgresql-[0-9a-f]{8} ready$/, stdout);
  assert.match(lines[1] ?? '', /^ready \d+\.\d+/, 'inspect: ready and the exact version');
  assert.match(
    lines[2] ?? '',
    /^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/qdw_\w+$/,
    'a per-test database url',
  );
  assert.equal(lines[3], 'stopped');
  assert.equal(lines.length, 4, 'gc had nothing to do');
  assert.deepEqual(listStateEntries(state), [], 'nothing left under the state root');
});
