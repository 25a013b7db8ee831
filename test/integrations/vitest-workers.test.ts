// The worker count vitest's globalSetup starts per-worker servers for, from the config as vitest 3.2 and 4 resolve
// it (the shapes below are what `project.config` and `project.vitest.config` hold, read from real runs of both).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { countVitestWorkers } from '../../dist/integrations/vitest-workers.js';

const cpus = availableParallelism();

// A project whose own config and the run's are the same (no workspace), as vitest hands it to a globalSetup.
function project(config: Record<string, unknown>) {
  return { config, vitest: { config } };
}

test('no maxWorkers (vitest 3 and 4 leave it unset): vitest’s default, CPUs - 1, half of them in watch mode', () => {
  assert.equal(countVitestWorkers(project({ pool: 'forks', watch: false })), Math.max(cpus - 1, 1));
  assert.equal(
    countVitestWorkers(project({ pool: 'forks', watch: true })),
    Math.max(Math.floor(cpus / 2), 1),
  );
  assert.equal(countVitestWorkers({ config: { pool: 'threads' } }), Math.max(cpus - 1, 1));
});

test('maxWorkers given (--maxWorkers, the config, or 1 without file parallelism) wins', () => {
  assert.equal(countVitestWorkers(project({ pool: 'forks', maxWorkers: 3 })), 3);
  assert.equal(countVitestWorkers({ config: {}, vitest: { config: { maxWorkers: 5 } } }), 5);
  assert.equal(countVitestWorkers({ config: { maxWorkers: 2 }, vitest: { config: { maxWorkers: 5 } } }), 2);
});

test('vitest 3: the pool’s own limit (maxForks, maxThreads, a single fork or thread) comes first', () => {
  const forks = {
    pool: 'forks',
    maxWorkers: 4,
    poolOptions: { forks: { maxForks: 2 }, threads: { maxThreads: 7 } },
  };
  assert.equal(countVitestWorkers(project(forks)), 2);
  assert.equal(countVitestWorkers(project({ ...forks, pool: 'threads' })), 7);
  assert.equal(
    countVitestWorkers(project({ pool: 'forks', poolOptions: { forks: { singleFork: true } } })),
    1,
  );
  assert.equal(
    countVitestWorkers(project({ pool: 'vmThreads', poolOptions: { vmThreads: {} } })),
    Math.max(cpus - 1, 1),
  );
});

test('a bad value is passed on as given, for the servers’ check to refuse naming it', () => {
  assert.equal(countVitestWorkers(project({ maxWorkers: 'lots' })), 'lots');
});
