// The instance cgroups a test run leaves, attributed like its processes: a cgroup counts only when a process of the
// sandbox was seen in it (its tree polled through the run). Another run's or another user's quickdb cgroup beside
// ours (same parent cgroup) is never this run's leak.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCgroupMount, findOwnCgroup } from '../dist/state/process/cgroup.js';
import { belongsToSandbox } from './sandbox.mjs';

const POLL_MS = 50;

// The dirs instance cgroups are made in: this process's cgroup, and the root cgroup (a launcher a test ran there).
const parents = [...new Set([findOwnCgroup(), findCgroupMount()].filter(Boolean))];

// Every quickdb-* cgroup in those dirs, by path.
function listInstanceCgroups() {
  return parents.flatMap((dir) => {
    try {
      return readdirSync(dir)
        .filter((name) => name.startsWith('quickdb-'))
        .map((name) => join(dir, name));
    } catch {
      return [];
    }
  });
}

// The pids in a cgroup and every cgroup below it.
function readTreePids(path) {
  let pids = [];
  try {
    pids = readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    for (const entry of readdirSync(path, { withFileTypes: true }))
      if (entry.isDirectory()) pids = pids.concat(readTreePids(join(path, entry.name)));
  } catch {}
  return pids;
}

// True when a cgroup holds no process (nor do its children).
function isEmpty(path) {
  try {
    return !/populated 1/.test(readFileSync(join(path, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Watch until stop(): returns the cgroups this run's processes were seen in that are still there, empty. */
export function watchCgroups(base) {
  const before = new Set(listInstanceCgroups());
  const ours = new Set();
  const poll = () => {
    for (const path of listInstanceCgroups())
      if (
        !before.has(path) &&
        !ours.has(path) &&
        readTreePids(path).some((pid) => belongsToSandbox(pid, base))
      )
        ours.add(path);
  };
  const timer = setInterval(poll, POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return listInstanceCgroups().filter((path) => ours.has(path) && isEmpty(path));
    },
  };
}
