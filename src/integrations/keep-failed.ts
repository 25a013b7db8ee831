// A failed test's database outlives the run: the run's servers name the shell that ran the test runner as their heir,
// and a server holding a kept database is left to pass to it when the runner ends, instead of being stopped.

import { hasKeptNote, readKeepFailed } from '../api/keep.js';
import { readProcFacts, resolveRequester } from '../api/requester.js';
import type { Instance, StartOptions } from '../index.js';

/** `start` with `heir` set to the shell above the test runner `runnerPid` (climbing over npx, npm and wrappers as
 *  `up` does), when kept databases outlive the run (not in CI, QUICKDB_KEEP_FAILED not 0) and that shell is found;
 *  else `start` as it is (then a kept database goes with the run, and keep() says so). */
export function addHeir(start: StartOptions, runnerPid: number = process.pid): StartOptions {
  if (start.heir !== undefined || start.parent === 'none' || !readKeepFailed().keep) return start;
  const above = runnerPid === process.pid ? process.ppid : readProcFacts(runnerPid)?.ppid;
  if (above === undefined || above < 2) return start;
  const found = resolveRequester(above);
  return 'pid' in found && found.pid !== runnerPid ? { ...start, heir: found.pid } : start;
}

/** True when a database of the instance is kept, so it passes to its heir when the runner ends: leave it running. */
export function passesToHeir(instance: Instance): boolean {
  return hasKeptNote(instance.info.stateDir);
}
