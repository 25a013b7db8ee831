// Hand-made specs for driving dist/runner.js directly, as an init system would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Spec } from '../../dist/state/records/spec.js';
import { FIXTURES, ROOT, scratchDir, stateRoot } from './env.js';
import { scaleDeadline } from './load.js';

export const RUNNER = join(ROOT, 'dist', 'runner.js');
export const RUNNER_ARGV = ['--inspect-port=0', '--inspect-publish-uid=stderr', RUNNER];

let counter = 0;

// Write a valid spec (fixture server, marker-owned data dir) with overrides; returns it and its path.
export function writeSpec(
  t: TestContext,
  overrides: Partial<Spec> = {},
): { spec: Spec; path: string; trace: string } {
  const id = `spec-${process.pid}-${++counter}`;
  const stateDir = join(stateRoot(), id);
  const dataDir = join(stateDir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, '.quickdb-watcher'), `${id}\n`);
  const trace = join(scratchDir(t, 'trace-'), 'trace.log');
  const spec: Spec = {
    version: 1,
    id,
    driver: 'command',
    backend: 'detached',
    stateRoot: stateRoot(),
    stateDir,
    dataDir,
    dataDirReal: dataDir,
    cleanup: true,
    server: {
      argv: [process.execPath, join(FIXTURES, 'server.mjs'), 'polite', '--trace', trace],
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', QUICKDB_DATA_DIR: dataDir },
      stopSignal: 'SIGTERM',
      fastStopSignal: 'SIGQUIT',
    },
    ready: { kind: 'log', pattern: '^READY$' },
    readyTimeoutMs: scaleDeadline(10_000),
    stopGraceMs: 400,
    fastGraceMs: 400,
    pollMs: 50,
    parent: null,
    ...overrides,
  };
  const path = join(stateDir, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return { spec, path, trace };
}
