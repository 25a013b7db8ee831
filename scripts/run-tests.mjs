// Runs the test suite in a private sandbox dir, then audits it: no processes, dirs or IPC objects may be left.
// Files run QUICKDB_TEST_JOBS at once (test-lanes.mjs), each in its own sandbox under the run's
// (test/helpers/file-sandbox.ts); a table of each file's wall time closes the run (timing-table.mjs).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { watchCgroups } from './cgroup-audit.mjs';
import { watchIpc } from './ipc-audit.mjs';
import { describeKeptSandbox } from './kept-sandbox.mjs';
import { listLeftoverDirs, nameTestFile } from './leftover-audit.mjs';
import { runLane } from './run-lane.mjs';
import { belongsToSandbox } from './sandbox.mjs';
import { findStaleEntries, readJobs, splitLanes } from './test-lanes.mjs';
import { collectTimings, formatTimings, writeTimings } from './timing-table.mjs';

const root = new URL('..', import.meta.url).pathname;
let jobs;
try {
  jobs = readJobs();
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const startedAt = Date.now();
// Short: every file's sandbox is a dir below it (f/<n>), and socket paths under those must fit the unix limit; the
// run's base and a file's sandbox in it (/tmp/qdw-XXXXXX/f/3k) are as long as the base before files had their own
// (/tmp/qdw-test-XXXXXX).
const base = mkdtempSync(join(tmpdir(), 'qdw-'));
// RAM data dirs (the default placement where /dev/shm has room) go to a private dir of this run, audited below.
// Where /dev/shm is missing or small (a container's 64 MB), root mounts a private tmpfs for the run instead, so
// the tests of the default (RAM) path run everywhere CI does.
const SHM_ROOM = 1024 * 1024 * 1024;
const shmFree = () => {
  try {
    const st = statfsSync('/dev/shm');
    return st.bavail * st.bsize;
  } catch {
    return 0;
  }
};
let mountedRam = false;
let ramDir = existsSync('/dev/shm') && shmFree() >= SHM_ROOM ? mkdtempSync('/dev/shm/qdw-test-') : null;
if (ramDir === null && process.getuid?.() === 0) {
  ramDir = join(base, 'ram');
  mkdirSync(ramDir);
  mountedRam = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4g,mode=0711', 'tmpfs', ramDir]).status === 0;
  if (!mountedRam) ramDir = null;
}
// npm's marks (`npm test` sets npm_lifecycle_event) are left out: they change how hints spell the command, and a
// run must be the same whether npm or node started it.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))),
  ...(ramDir ? { QUICKDB_WATCHER_RAM_DIR: ramDir } : {}),
  QDW_TEST_BASE: base,
  // Each test file's process moves into its own sandbox under this one (test/helpers/file-sandbox.ts).
  QDW_TEST_RUN: base,
  QUICKDB_WATCHER_STATE: join(base, 'state'),
  TMPDIR: join(base, 'tmp'),
  QUICKDB_WATCHER_CACHE: join(base, 'cache'),
};
// As root, servers run as an unprivileged user that needs to traverse (not read) the sandbox.
if (process.getuid?.() === 0) {
  chmodSync(base, 0o711);
  if (ramDir) chmodSync(ramDir, 0o711);
}
mkdirSync(env.TMPDIR, { recursive: true });

const filters = process.argv.slice(2);

function findTests(dir) {
  return (
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
      .map((e) => join(e.parentPath ?? e.path, e.name))
      // The fresh projects' own tests (test/fixtures/projects) run only inside those projects, under their runners.
      .filter((f) => !f.includes(`${join('test', 'fixtures')}/`))
      .sort()
  );
}

// A process's environment as text ('' once it is gone).
function readEnviron(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return '';
  }
}

function leakedProcesses() {
  const leaks = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid || !belongsToSandbox(pid, base)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    leaks.push(`${pid} ${cmd.slice(0, 160)}${nameTestFile(base, readEnviron(pid))}`);
  }
  return leaks;
}

const allFiles = findTests(join(root, 'test'));
const stale = findStaleEntries(allFiles);
if (stale.length > 0) {
  console.error(`scripts/test-lanes.mjs: entries match no test file: ${stale.join(', ')}`);
  process.exit(2);
}
// Each argument is a filter: a file runs when its path holds any of them (none given: every file).
const files = allFiles.filter((f) => filters.length === 0 || filters.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error(`no test file matches ${filters.map((f) => JSON.stringify(f)).join(' or ')}`);
  // Nothing ran: the empty sandbox goes.
  if (mountedRam) spawnSync('umount', [ramDir]);
  rmSync(base, { recursive: true, force: true });
  if (ramDir) rmSync(ramDir, { recursive: true, force: true });
  process.exit(2);
}
// The files' own sandboxes are f/<index in this list> (test/helpers/file-sandbox.ts): short, for socket paths.
mkdirSync(join(base, 'f'), { mode: 0o711 });
writeFileSync(join(base, 'f', 'files.json'), JSON.stringify(files.map((f) => relative(root, f))));
// SysV IPC is attributed while the run goes (ipc-audit.mjs): only what the sandbox's processes made or used counts.
const ipc = watchIpc(base);
// Instance cgroups too (cgroup-audit.mjs): only one a sandbox process was seen in counts, once it is empty.
const cgroups = watchCgroups(base);
const lanes = [];
for (const [n, lane] of splitLanes(files, jobs).entries())
  lanes.push(await runLane(lane, { root, env, counts: join(base, `counts-${n}.json`) }));
const runStatus = lanes.find((l) => l.status !== 0)?.status ?? 0;
const total = (key) => lanes.reduce((sum, l) => sum + (l.counts[key] ?? 0), 0);
console.log(
  `\nall lanes: tests ${total('tests')}, pass ${total('pass')}, fail ${total('fail')}, cancelled ${total('cancelled')}, skipped ${total('skipped')}, todo ${total('todo')}`,
);
const timings = collectTimings(root, base, files);
const figures = { wallSeconds: (Date.now() - startedAt) / 1000, jobs };
for (const line of formatTimings(timings, figures)) console.log(line);
if (process.env.QUICKDB_TEST_TIMINGS) {
  writeTimings(process.env.QUICKDB_TEST_TIMINGS, timings, figures);
  console.log(`timings of every file written to ${process.env.QUICKDB_TEST_TIMINGS}`);
}

// Audit: give killed processes a moment to be reaped, polling with a deadline.
let leaks = leakedProcesses();
for (const deadline = Date.now() + 5000; leaks.length && Date.now() < deadline; leaks = leakedProcesses()) {
  await new Promise((r) => setTimeout(r, 100));
}
const leftoverDirs = listLeftoverDirs(base, ramDir);
const newIpc = ipc.stop();
// Only empty ones count: a live instance's cgroup holds its (not ours, hence not leaked above) processes.
const newCgroups = cgroups.stop();
const problems = [
  ...leaks.map((l) => `process left running: ${l}`),
  ...leftoverDirs.map((d) => `left behind: ${d}${nameTestFile(base, d)}`),
  ...newIpc.map((line) => `SysV IPC object left: ${line}`),
  ...newCgroups.map((path) => `cgroup left: ${path}`),
];
console.log(
  `\nleak audit: ${leaks.length} processes, ${leftoverDirs.length} dirs, ${newIpc.length} IPC objects, ${newCgroups.length} cgroups left`,
);
for (const p of problems) console.log(`  LEAK ${p}`);
if (problems.length === 0) {
  if (mountedRam) spawnSync('umount', [ramDir]);
  rmSync(base, { recursive: true, force: true });
  if (ramDir) rmSync(ramDir, { recursive: true, force: true });
} else console.log(describeKeptSandbox(ramDir ? [base, ramDir] : [base], mountedRam ? [ramDir] : []));
process.exit(runStatus !== 0 ? (runStatus ?? 1) : problems.length ? 1 : 0);
