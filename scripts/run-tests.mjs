// Runs the test suite in a private sandbox dir, then audits it: no processes, dirs or IPC objects may be left.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchCgroups } from './cgroup-audit.mjs';
import { watchIpc } from './ipc-audit.mjs';
import { describeKeptSandbox } from './kept-sandbox.mjs';
import { belongsToSandbox } from './sandbox.mjs';

const root = new URL('..', import.meta.url).pathname;
const base = mkdtempSync(join(tmpdir(), 'qdw-test-'));
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
      // Each argument is a filter: a file runs when its path holds any of them (none given: every file).
      .filter((f) => filters.length === 0 || filters.some((part) => f.includes(part)))
      .sort()
  );
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
    leaks.push(`${pid} ${cmd.slice(0, 160)}`);
  }
  return leaks;
}

const files = findTests(join(root, 'test'));
if (files.length === 0) {
  console.error(`no test file matches ${filters.map((f) => JSON.stringify(f)).join(' or ')}`);
  // Nothing ran: the empty sandbox goes.
  if (mountedRam) spawnSync('umount', [ramDir]);
  rmSync(base, { recursive: true, force: true });
  if (ramDir) rmSync(ramDir, { recursive: true, force: true });
  process.exit(2);
}
// SysV IPC is attributed while the run goes (ipc-audit.mjs): only what the sandbox's processes made or used counts.
const ipc = watchIpc(base);
// Instance cgroups too (cgroup-audit.mjs): only one a sandbox process was seen in counts, once it is empty.
const cgroups = watchCgroups(base);
const run = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    join(root, 'test', 'helpers', 'seed.ts'),
    '--test',
    '--test-reporter=spec',
    ...files,
  ],
  {
    cwd: root,
    env,
    stdio: 'inherit',
  },
);
// Awaited, not spawnSync: the IPC watch polls on this process's event loop while the tests run.
const runStatus = await new Promise((resolve) =>
  run.once('close', (code, signal) => resolve(signal ? 1 : code)),
);

// Audit: give killed processes a moment to be reaped, polling with a deadline.
let leaks = leakedProcesses();
for (const deadline = Date.now() + 5000; leaks.length && Date.now() < deadline; leaks = leakedProcesses()) {
  await new Promise((r) => setTimeout(r, 100));
}
const list = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
// Snapshot spares (.spares) are the cache's, kept on purpose between runs, and a stop's note (.stopped-ID) is kept
// ten minutes so a later stop of that id says "already stopped": records by design, not leaks.
const leftoverState = list(env.QUICKDB_WATCHER_STATE)
  .filter((d) => d !== '.spares' && !d.startsWith('.stopped-'))
  .map((d) => `state/${d}`);
// Every RAM root (one per state root used) must hold no data dir (its spares and its .state-root note are cache).
const leftoverRam = list(ramDir ?? '/nonexistent').flatMap((root) =>
  list(join(ramDir, root))
    .filter((d) => d !== '.spares' && d !== '.state-root')
    .map((d) => `${root}/${d}`),
);
const leftoverTmp = list(env.TMPDIR)
  .filter((d) => !d.startsWith('tsx-'))
  .map((d) => `tmp/${d}`);
const newIpc = ipc.stop();
// Only empty ones count: a live instance's cgroup holds its (not ours, hence not leaked above) processes.
const newCgroups = cgroups.stop();
const problems = [
  ...leaks.map((l) => `process left running: ${l}`),
  ...[...leftoverState, ...leftoverTmp].map((d) => `left behind: ${join(base, d)}`),
  ...leftoverRam.map((d) => `left behind: ${join(ramDir, d)}`),
  ...newIpc.map((line) => `SysV IPC object left: ${line}`),
  ...newCgroups.map((path) => `cgroup left: ${path}`),
];
console.log(
  `\nleak audit: ${leaks.length} processes, ${leftoverState.length + leftoverTmp.length + leftoverRam.length} dirs, ${newIpc.length} IPC objects, ${newCgroups.length} cgroups left`,
);
for (const p of problems) console.log(`  LEAK ${p}`);
if (problems.length === 0) {
  if (mountedRam) spawnSync('umount', [ramDir]);
  rmSync(base, { recursive: true, force: true });
  if (ramDir) rmSync(ramDir, { recursive: true, force: true });
} else console.log(describeKeptSandbox(ramDir ? [base, ramDir] : [base], mountedRam ? [ramDir] : []));
process.exit(runStatus !== 0 ? (runStatus ?? 1) : problems.length ? 1 : 0);
