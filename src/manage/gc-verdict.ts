// gc's judgement of one instance, as a pure step: from what was seen of it (its view and a few facts about its dir)
// to what gc should do; acting on the verdict is gc.ts's.
import { isFinishedPhase } from '../state/records/status.js';
import type { InstanceView } from './inventory.js';

/** How long a dir without status and without a launcher on record may be a launch in progress (older versions). */
export const LAUNCH_GRACE_MS = 60_000;

/** What was seen of an instance dir besides its view: read only where the verdict needs it. */
export interface DirFacts {
  /** The dir is empty (a watcher SIGKILLed while removing its own state dir). */
  empty: boolean;
  /** A few of its files remain without the spec (killed a moment earlier in that removal). */
  halfRemoved: boolean;
  /** Its launcher on record: running, gone, or none on record. */
  launcher: 'alive' | 'gone' | 'unknown';
}

/** gc's verdict on one instance. */
export type GcVerdict =
  | { kind: 'refused'; problem: string }
  | { kind: 'busy' }
  | { kind: 'prepared' }
  | { kind: 'empty' }
  | { kind: 'half-removed' }
  | { kind: 'launching'; why: string }
  | { kind: 'unfinished' }
  | { kind: 'kept' }
  | { kind: 'finished' };

// Judge one instance: busy while its watcher or a backstop works, recover it once neither is left and it did not
// finish, keep it while launching or kept, else its record may go. Reads nothing; the same input gives the same answer.
export function judgeInstance(view: InstanceView, facts: DirFacts, graceMs = LAUNCH_GRACE_MS): GcVerdict {
  // A record that is invalid or does not belong where it was found is reported, never acted on.
  if (view.problem) return { kind: 'refused', problem: view.problem };
  if (view.watcherAlive || view.finisherAlive) return { kind: 'busy' };
  if (view.status?.phase === 'prepared') return { kind: 'prepared' };
  if (!view.status && !view.spec && facts.empty) return { kind: 'empty' };
  // A live launcher's dir is a launch in progress whatever is in it yet (an early watcher's runner.log before the
  // spec, say): never taken for one a watcher was removing.
  if (!view.status && facts.halfRemoved && facts.launcher !== 'alive') return { kind: 'half-removed' };
  if (!view.status) {
    const abandoned = facts.launcher === 'gone' || (facts.launcher === 'unknown' && view.ageMs >= graceMs);
    if (!abandoned)
      return {
        kind: 'launching',
        why: facts.launcher === 'alive' ? 'its launcher is still running' : 'no status yet',
      };
  }
  if (!isFinishedPhase(view.status?.phase)) return { kind: 'unfinished' };
  return view.status?.dataDir.state === 'kept' ? { kind: 'kept' } : { kind: 'finished' };
}
