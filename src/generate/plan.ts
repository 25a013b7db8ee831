// From a spec to what an init system runs: the watcher argv, post-stop argv, log and timeouts.

import { SPEC_TAG } from '../state/process/instance-tags.js';
import { getInstancePaths } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import { stopBudgetMs } from '../state/records/stop-budget.js';
import type { SystemdPlan } from './systemd.js';
import { buildWatcherCommand, watcherScriptPath } from './watcher-command.js';

/** Where things are on the machine that runs the definition (fixed values make examples deterministic). */
export interface WatcherLocation {
  specPath: string;
  nodePath?: string;
  watcherPath?: string;
}

/** A launchd job: the fields the README names. */
export interface LaunchdJob {
  label: string;
  programArguments: string[];
  workingDirectory: string;
  logPath: string;
  exitTimeOutSec: number;
}

// The argv that runs the watcher for a spec (or its post-stop step when postStop is set).
function buildWatcherArgv(where: WatcherLocation, postStop = false): string[] {
  return buildWatcherCommand(
    where.specPath,
    postStop ? ['--post-stop'] : [],
    where.nodePath ?? process.execPath,
    where.watcherPath ?? watcherScriptPath(),
  );
}

// The systemd plan of an instance: the watcher as ExecStart, post-stop as ExecStopPost, log in the state dir.
export function planSystemd(spec: Spec, where: WatcherLocation): SystemdPlan {
  return {
    id: spec.id,
    description: `quickdb-watcher ${spec.id} (${spec.driver})`,
    execStart: buildWatcherArgv(where),
    execStopPost: buildWatcherArgv(where, true),
    workingDirectory: spec.stateDir,
    logPath: getInstancePaths(spec.stateRoot, spec.id).log,
    timeoutStopMs: stopBudgetMs(spec),
    environment: { [SPEC_TAG]: where.specPath },
  };
}

// The launchd label of an instance.
export function launchdLabelFor(id: string): string {
  return `dev.quickdb-watcher.${id}`;
}

// The launchd job of an instance (no post-stop backstop exists under launchd).
export function planLaunchd(spec: Spec, where: WatcherLocation): LaunchdJob {
  return {
    label: launchdLabelFor(spec.id),
    programArguments: buildWatcherArgv(where),
    workingDirectory: spec.stateDir,
    logPath: getInstancePaths(spec.stateRoot, spec.id).log,
    exitTimeOutSec: Math.ceil(stopBudgetMs(spec) / 1000),
  };
}
