// Starting with options that must be refused: a UsageError, and nothing created in a fresh state root.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type StartOptions, startServer, UsageError } from '../../dist/index.js';
import { scratchDir } from './env.js';

// Start with `options` (typed loosely: what a JavaScript caller could pass) in a fresh state root; expect a
// UsageError and an untouched state root.
export async function expectRefused(t: TestContext, options: Record<string, unknown>): Promise<UsageError> {
  const stateRoot = join(scratchDir(t, 'refused-'), 'state');
  const error = await startServer({ stateRoot, parent: 'none', ...options } as StartOptions).then(
    async (instance) => {
      await instance.eliminate();
      assert.fail('started');
    },
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.ok(!existsSync(stateRoot) || readdirSync(stateRoot).length === 0, 'nothing is created');
  return error;
}
