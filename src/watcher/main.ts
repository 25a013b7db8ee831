// The watcher's main line: take over the signals, load the spec, then watch until cleanup is done.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InstanceRecord } from '../cleanup/record.js';
import { tidyRemovedStateDir } from '../cleanup/state-dir.js';
import { findUnsafeDir } from '../state/files/safe-dirs.js';
import { readStartTime } from '../state/process/procstat.js';
import { getInstancePaths } from '../state/records/paths.js';
import { checkSpecLocation } from '../state/records/records.js';
import { type Spec, SpecError } from '../state/records/spec.js';
import { validateSpec } from '../state/records/spec-validate.js';
import { createStatus } from '../state/records/status.js';
import { AWAIT_LAUNCHER } from '../state/records/watcher-argv.js';
import { awaitLauncher } from './await-launcher.js';
import { EventQueue } from './events.js';
import { Watch } from './watch.js';

export interface EarlySignals {
  early: NodeJS.Signals[];
  trap: (signal: NodeJS.Signals) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGHUP'] as const;

// Route the contract's signals into the queue, replaying those the entry trapped early.
function takeOverSignals(queue: EventQueue, early: EarlySignals): void {
  for (const signal of SIGNALS) {
    process.on(signal, (s: NodeJS.Signals) => queue.push({ type: 'signal', signal: s }));
    process.off(signal, early.trap);
  }
  for (const signal of early.early.splice(0)) queue.push({ type: 'signal', signal });
  early.early.push = (...signals: NodeJS.Signals[]): number => {
    for (const signal of signals) queue.push({ type: 'signal', signal });
    return 0;
  };
}

// Read and validate spec.json; the error names the field or the file problem.
function loadSpec(path: string | undefined): Spec {
  if (!path) throw new SpecError('(argv)', 'usage: db-quick-watcher <spec.json> | --post-stop <spec.json>');
  // A spec below a dir others may write may be theirs (swapped in): never run it.
  const unsafe = findUnsafeDir(dirname(resolve(path)));
  if (unsafe) throw new SpecError('(file)', `${path} not used: ${unsafe}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SpecError('(file)', `cannot read ${path}: ${(cause as Error).message}`);
  }
  const spec = validateSpec(raw);
  // The state dir is where the spec was found, never what it says (docs/reference.md: "Nothing read back is trusted").
  const wrong = checkSpecLocation(spec, dirname(resolve(path)));
  if (wrong) throw wrong;
  return spec;
}

// Run the watcher for argv (spec path, or --post-stop spec path); resolves to the exit code.
export async function runWatcher(argv: string[], early: EarlySignals): Promise<number> {
  const queue = new EventQueue();
  takeOverSignals(queue, early);
  // A log line that cannot be written (the watcher log's disk is full) is lost, never fatal to the watcher.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  // Started before its spec existed: nothing is read or touched until the launcher says the spec is complete.
  if (argv[0] === AWAIT_LAUNCHER) {
    if (!(await awaitLauncher())) return 0;
    argv = argv.slice(1);
  }
  const postStop = argv[0] === '--post-stop';
  let spec: Spec;
  // Post-stop after a clean finish: the watcher removed (or was removing) its state dir; at most finish that.
  if (postStop && argv[1] && !existsSync(argv[1])) {
    tidyRemovedStateDir(argv[1]);
    return 0;
  }
  try {
    spec = loadSpec(postStop ? argv[1] : argv[0]);
  } catch (cause) {
    process.stderr.write(`db-quick-watcher: bad spec: ${(cause as Error).message}\n`);
    return 2;
  }
  // `ps` tells the watchers apart: the title names the instance (the spec path it started with is gone from it).
  process.title = `db-quick-watcher ${postStop ? '--post-stop ' : ''}${spec.id}`;
  // Loaded only for the post-stop step: the watcher's own start stays as small as it can be.
  if (postStop) return (await import('../cleanup/backstop.js')).finishAfterWatcher(spec, 'post-stop');
  const watcher = { pid: process.pid, startTime: readStartTime(process.pid) };
  const report = new InstanceRecord(
    createStatus(spec.id, 'starting', watcher),
    getInstancePaths(spec.stateRoot, spec.id).status,
    'watcher',
  );
  report.update({});
  return new Watch(spec, report, queue).run();
}
