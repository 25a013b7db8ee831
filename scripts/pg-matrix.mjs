// The PostgreSQL version matrix: the driver, migration and per-test database tests again on each fetched major
// (QUICKDB_TEST_PG_MATRIX, default "14 17"), each pass a run-tests.mjs run of its own with QUICKDB_WATCHER_PG_VERSION
// set. pg-matrix.test.ts fails a pass that did not run the major it names.
import { spawnSync } from 'node:child_process';

/** The test files of the matrix (run-tests.mjs filters: a file runs when its path holds one). */
const FILES = [
  'test/drivers/pg-matrix.test.ts',
  'test/drivers/postgresql.test.ts',
  'test/drivers/spare.test.ts',
  'test/start/migrate',
  'test/start/databases.test.ts',
  'test/start/left-open.test.ts',
  'test/security/alter-system.test.ts',
];

const majors = (process.env.QUICKDB_TEST_PG_MATRIX ?? '14 17').split(/\s+/).filter(Boolean);
const runner = new URL('run-tests.mjs', import.meta.url).pathname;
const failed = [];
for (const major of majors) {
  console.log(`\n=== PostgreSQL ${major}: ${FILES.join(' ')} ===\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [runner, ...FILES], {
    stdio: 'inherit',
    env: { ...process.env, QUICKDB_WATCHER_PG_VERSION: major },
  });
  console.log(
    `=== PostgreSQL ${major}: exit ${run.status} in ${Math.round((Date.now() - started) / 1000)} s ===`,
  );
  if (run.status !== 0) failed.push(major);
}
if (failed.length > 0) {
  console.error(`the version matrix failed on PostgreSQL ${failed.join(', ')}`);
  process.exit(1);
}
