// The stop budget: how long a stop may take before whoever waits for it gives up (or, under systemd, SIGKILLs).
import type { Spec } from './spec.js';

/** Time granted on top of the stop ladder for the watcher's own cleanup (strays, data dir, status), on a loaded
 *  machine. */
const STOP_SLACK_MS = 15_000;

// The whole stop: the ladder (stop grace, unless the stop starts at the fast step, then fast grace) plus the slack.
export function stopBudgetMs(spec: Pick<Spec, 'stopGraceMs' | 'fastGraceMs'>, fast = false): number {
  return (fast ? 0 : spec.stopGraceMs) + spec.fastGraceMs + STOP_SLACK_MS;
}
