// Which test files may run at the same time as others, and how many at once (QUICKDB_TEST_JOBS).

/** Files that must not overlap any other file: run-tests.mjs runs them one at a time after the parallel lane.
 *  Each entry is a path part (a file matches when its path holds it) and says why. Found by running the suite in
 *  parallel, not by guessing: keep it short. */
const SERIAL = [];

/** Files at once when QUICKDB_TEST_JOBS is unset: most of a test's time is spent waiting on servers, so 2 cores
 *  carry 4 files (measured: see docs/testing.md). */
const DEFAULT_JOBS = 4;

// QUICKDB_TEST_JOBS as a count of files at once; a bad value throws, naming the variable and what is allowed.
export function readJobs(value = process.env.QUICKDB_TEST_JOBS) {
  if (value === undefined || value === '') return DEFAULT_JOBS;
  if (!/^[1-9]\d*$/.test(value))
    throw new Error(
      `QUICKDB_TEST_JOBS=${JSON.stringify(value)} is not allowed: give a whole number of test files to run at once, 1 or more (1 runs them one at a time)`,
    );
  return Number(value);
}

// The lanes the files run in, in order: [{ name, files, jobs }]. With jobs 1, one lane of every file, one at a
// time (the serial run, exactly as before lanes existed).
export function splitLanes(files, jobs) {
  if (jobs === 1) return [{ name: 'all files, one at a time', files, jobs: 1 }];
  const isSerial = (f) => SERIAL.some(({ part }) => f.includes(part));
  const lanes = [
    { name: `parallel lane, ${jobs} files at once`, files: files.filter((f) => !isSerial(f)), jobs },
    { name: 'serial lane, one file at a time', files: files.filter(isSerial), jobs: 1 },
  ];
  return lanes.filter((lane) => lane.files.length > 0);
}

// Serial entries that match no test file (a renamed or deleted file): a stale list would silently run it in parallel.
export function findStaleSerial(allFiles) {
  return SERIAL.filter(({ part }) => !allFiles.some((f) => f.includes(part))).map(({ part }) => part);
}
