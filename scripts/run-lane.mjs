// One lane of a test run: a node --test over its files, so many at once, with the spec reporter on stdout and the
// run's closing counts (count-reporter.mjs) written to a file for the runner's totals.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Run `lane` ({ name, files, jobs }) from `root` with `env`; resolves to { status, counts } once it ends.
export async function runLane(lane, { root, env, counts }) {
  console.log(`\n=== ${lane.name}: ${lane.files.length} files ===\n`);
  const run = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(root, 'test', 'helpers', 'seed.ts'),
      '--test',
      `--test-concurrency=${lane.jobs}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts', 'count-reporter.mjs')}`,
      `--test-reporter-destination=${counts}`,
      ...lane.files,
    ],
    // The test helpers stretch deadlines by the files at once (test/helpers/load.ts).
    { cwd: root, env: { ...env, QUICKDB_TEST_JOBS: String(lane.jobs) }, stdio: 'inherit' },
  );
  // Awaited, not spawnSync: the runner's IPC and cgroup watches poll on its event loop while the tests run.
  const status = await new Promise((resolve) =>
    run.once('close', (code, signal) => resolve(signal ? 1 : code)),
  );
  try {
    return { status, counts: JSON.parse(readFileSync(counts, 'utf8')) };
  } catch {
    return { status, counts: {} };
  }
}
