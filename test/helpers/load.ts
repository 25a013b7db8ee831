// One load factor for every deadline in the tests: a machine running several test files at once, or busy with
// other work, gets proportionally longer deadlines. Deadlines are only ever lengthened, never shortened.
import { availableParallelism, loadavg } from 'node:os';

/** The most any deadline is stretched: a test that needs more than this is stuck, not slow. */
const MAX_FACTOR = 4;

// How many test files run at once in this run (run-tests.mjs sets QUICKDB_TEST_JOBS; 1 when a file is run alone).
function readJobs(): number {
  const jobs = Number(process.env.QUICKDB_TEST_JOBS);
  return Number.isInteger(jobs) && jobs > 0 ? jobs : 1;
}

// The factor now: the demand on the cores (the jobs of this run, or the 1-minute load average when higher) per
// core, at least 1 and at most MAX_FACTOR.
function measureLoadFactor(): number {
  const demand = Math.max(readJobs(), loadavg()[0] ?? 0);
  return Math.min(MAX_FACTOR, Math.max(1, demand / availableParallelism()));
}

// A deadline in ms scaled by the load factor (rounded up to a whole ms; never below `ms`).
export function scaleDeadline(ms: number): number {
  return Math.ceil(ms * measureLoadFactor());
}
