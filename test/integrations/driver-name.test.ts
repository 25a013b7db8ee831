// A mistyped driver, or another tool's name for one of ours, is the first thing every integration refuses, in the
// CLI's words: vitest's and jest's globalSetup, node:test's useServer, an extra server of `also`, and startServer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../dist/errors.js';
import { startServer } from '../../dist/index.js';
import { createGlobalSetup as createJestSetup } from '../../dist/integrations/jest.js';
import { useServer } from '../../dist/integrations/node-test.js';
import { createGlobalSetup as createVitestSetup } from '../../dist/integrations/vitest-setup.js';

// What every integration says for `driver: given` (`where`: the option's place, for an extra server).
function refusal(given: string, meant: string, where = ''): RegExp {
  return new RegExp(
    `^${where}unknown driver "${given}"; did you mean ${meant}\\? drivers: command, postgresql, `,
  );
}

// Assert `run` is refused with the message, as a UsageError naming the option.
async function assertRefused(run: () => unknown, message: RegExp, option = 'driver'): Promise<void> {
  await assert.rejects(
    async () => run(),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, message);
      assert.equal(error.option, option);
      return true;
    },
  );
}

// vitest's main process as the globalSetup sees it: no maxWorkers given (vitest leaves it undefined).
const vitestProject = { config: {}, vitest: { config: {} }, provide() {} } as unknown as Parameters<
  ReturnType<typeof createVitestSetup>
>[0];

test('vitest globalSetup: a mistyped driver is refused before the worker count is read', async () => {
  await assertRefused(
    () => createVitestSetup({ driver: 'postgres', servers: 'per-worker' } as never)(vitestProject),
    refusal('postgres', 'postgresql'),
  );
});

test('jest globalSetup: a mistyped driver is refused before its migrations are judged', async () => {
  await assertRefused(
    () => createJestSetup({ driver: 'pg', migrate: './migrations' } as never)({ maxWorkers: 2 }),
    refusal('pg', 'postgresql'),
  );
});

test('node:test useServer: a mistyped driver is refused at the call, before any hook runs', async () => {
  await assertRefused(() => useServer({ driver: 'psql' } as never), refusal('psql', 'postgresql'));
});

test("an extra server's mistyped driver is refused naming its place", async () => {
  await assertRefused(
    () => createJestSetup({ also: { cache: { driver: 'valkey' } } } as never)({ maxWorkers: 1 }),
    refusal('valkey', 'redis', 'also\\.cache: '),
    'also.cache.driver',
  );
});

test('startServer: the same words; a misspelling gets the closest driver, a stranger none', async () => {
  await assertRefused(() => startServer({ driver: 'maria' } as never), refusal('maria', 'mariadb'));
  await assertRefused(
    () => startServer({ driver: 'redis-server' } as never),
    refusal('redis-server', 'redis'),
  );
  await assertRefused(
    () => startServer({ driver: 'postgresq' } as never),
    refusal('postgresq', 'postgresql'),
  );
  await assertRefused(
    () => startServer({ driver: 'oracle' } as never),
    /^unknown driver "oracle"; drivers: command, postgresql, redis, mariadb, mysql$/,
  );
});
