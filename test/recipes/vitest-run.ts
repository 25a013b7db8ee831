// Running vitest once on a fixture project with a private state root, and what it printed.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { prepareDbSandbox } from '../drivers/db.js';
import { ROOT, scratchDir } from '../helpers/env.js';

/** Run `vitest run ARGS` from `cwd` (null: a scratch dir, not a project) with `env` added; resolve with its exit code,
 *  its output and the state root it used. */
export async function runVitest(
  t: TestContext,
  cwd: string | null,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; stateRoot: string }> {
  prepareDbSandbox();
  const dir = scratchDir(t, 'vitest-run-');
  chmodSync(dir, 0o711); // as root, the postgres user must reach the state root below
  const stateRoot = join(dir, 'state');
  mkdirSync(join(dir, 'tmp'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    QUICKDB_WATCHER_STATE: stateRoot,
    NO_COLOR: '1',
    TMPDIR: join(dir, 'tmp'),
    ...env,
  };
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
    cwd: cwd ?? dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  for (const s of [child.stdout, child.stderr]) s.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out, stateRoot };
}
