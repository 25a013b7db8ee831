// Garbage collection: finish instances whose watcher is gone (orphan server, data dir, unit, state), and tidy records.
import { collectStaleClaims } from '../launch/claim.js';
import { checkStateRoot } from '../launch/state-root.js';
import { clearStaleTakeoverLock } from '../launch/takeover.js';
import { pruneStopNotes } from '../state/records/stop-note.js';
import { actOn, type GcAction, readDirFacts } from './gc-actions.js';
import { removeSpares, sweepOrphanedRamRoots, sweepRamStrays, sweepStaleSpares } from './gc-ram.js';
import { judgeInstance, LAUNCH_GRACE_MS } from './gc-verdict.js';
import { listInstances } from './inventory.js';

export interface GcOptions {
  dryRun?: boolean;
  /** Only recover dead, unfinished instances (what `up` does before launching). */
  quick?: boolean;
  /** How long a dir without status counts as a launch in progress (default 60 s). */
  launchGraceMs?: number;
}

// Visit every instance whose watcher is gone and clean up after it; returns what was (or would be) done.
export async function collectGarbage(stateRoot: string, options: GcOptions = {}): Promise<GcAction[]> {
  const actions: GcAction[] = [];
  const dryRun = options.dryRun ?? false;
  checkStateRoot(stateRoot);
  if (!dryRun) pruneStopNotes(stateRoot);
  // A launcher killed mid-claim leaves only its staging dir, which no instance listing shows.
  const claims = dryRun ? 0 : collectStaleClaims(stateRoot, options.launchGraceMs ?? LAUNCH_GRACE_MS);
  if (claims > 0 && !options.quick)
    actions.push({
      id: '(staging)',
      action: 'removed-record',
      detail: `${claims} claim(s) of launchers that died`,
    });
  const say = (action: GcAction): void => {
    if (!options.quick) actions.push(action);
  };
  for (const view of listInstances(stateRoot)) {
    if (!view.problem && !dryRun && !options.quick && clearStaleTakeoverLock(view.stateDir))
      say({ id: view.id, action: 'removed-record', detail: 'a takeover lock whose launcher is gone' });
    const verdict = judgeInstance(view, readDirFacts(view), options.launchGraceMs);
    // The quick gc of every `up` only recovers and tidies: it leaves kept and finished records, and says nothing of
    // what it skipped.
    if (options.quick && (verdict.kind === 'kept' || verdict.kind === 'finished')) continue;
    const action = await actOn(stateRoot, view, verdict, dryRun);
    if (action?.action === 'skipped' || action?.action === 'kept') say(action);
    else if (action) actions.push(action);
  }
  if (!options.quick)
    for (const stray of sweepRamStrays(stateRoot, dryRun))
      actions.push({ ...stray, action: 'removed-record' });
  // The quick gc of every `up` removes only spares no launch can use; a full gc gives all their memory back.
  if (options.quick && !dryRun) sweepStaleSpares(stateRoot);
  else
    for (const detail of removeSpares(stateRoot, dryRun))
      actions.push({ id: '(spares)', action: 'removed-record', detail });
  for (const root of dryRun ? [] : sweepOrphanedRamRoots())
    say({ id: '(spares)', action: 'removed-record', detail: `spares of ${root}, whose state root is gone` });
  return actions;
}
