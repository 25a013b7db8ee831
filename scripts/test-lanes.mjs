// Which test files may run at the same time as others, and how many at once (QUICKDB_TEST_JOBS).

/** Files that must not overlap any other file: run-tests.mjs runs them one at a time after the parallel lane.
 *  Each entry is a path part (a file matches when its path holds it) and says why. Found by running the suite in
 *  parallel, not by guessing: keep it short. */
const SERIAL = [
  // The fault campaign's trials race signals against a server's start and audit each trial for processes and
  // zombies with a deadline: at 4 jobs under load, trials failed that replay clean alone (zombies PID 1 had not
  // reaped yet, seed 1756096479 trials 36/37/93/94, all in the same moments).
  { part: 'test/faults/campaign.test.ts' },
  // The systemd campaign likewise: "the watcher unit ended at once" for signals crossed before ready at 4 jobs
  // (seed 520309712 trial 3), clean when replayed alone.
  { part: 'test/faults/systemd.test.ts' },
];

/** The longest files, started first in the parallel lane so none of them is left running alone at the end
 *  (a run at 4 jobs, 2 cores under load: tarball 514 s, also 313 s, readme 260 s, migrate 183 s,
 *  ci-recipe 172 s, wrappers 143 s, clients 141 s, placement 136 s; the median file takes 15 s). */
const START_FIRST = [
  'test/package/tarball.test.ts',
  'test/recipes/also.test.ts',
  'test/package/readme.test.ts',
  'test/start/migrate.test.ts',
  'test/package/ci-recipe.test.ts',
  'test/cli/wrappers.test.ts',
  'test/package/clients.test.ts',
  'test/launch/placement.test.ts',
];

/** Files at once when QUICKDB_TEST_JOBS is unset: most of a test's time is spent waiting on servers, not on the
 *  CPU. Measured on 2 cores shared with other work (load 8-12), test/watcher/ test/cleanup/ test/drivers/ (29 files):
 *  752 s wall at 1 job, 288 s at 4 (the files' own times summed to 749 s and 1029 s: each file runs ~1.4x slower,
 *  the run 2.6x faster). */
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
  const rank = (f) => {
    const at = START_FIRST.findIndex((part) => f.includes(part));
    return at < 0 ? START_FIRST.length : at;
  };
  // Stable: the files not listed keep their order.
  const parallel = files.filter((f) => !isSerial(f)).sort((a, b) => rank(a) - rank(b));
  const lanes = [
    { name: `parallel lane, ${jobs} files at once, longest first`, files: parallel, jobs },
    { name: 'serial lane, one file at a time', files: files.filter(isSerial), jobs: 1 },
  ];
  return lanes.filter((lane) => lane.files.length > 0);
}

// Entries of the serial or longest-first lists that match no test file (renamed or deleted): a stale serial entry
// would silently run its file in parallel.
export function findStaleEntries(allFiles) {
  return [...SERIAL.map(({ part }) => part), ...START_FIRST].filter(
    (part) => !allFiles.some((f) => f.includes(part)),
  );
}
