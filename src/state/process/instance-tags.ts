// The variables that say which instance a process belongs to. We set them on the processes of an instance (its
// server, a generated unit's watcher); none is ever passed on from whoever launched it, so a server that starts an
// instance of its own does not hand its identity to that instance's watcher and server.

/** The variable every server process carries (its instance's state dir); see src/watcher/server.ts. */
export const INSTANCE_TAG = 'QUICKDB_WATCHER_INSTANCE';

/** The spec path a generated systemd unit gives its watcher; see src/generate/plan.ts. */
export const SPEC_TAG = 'QUICKDB_WATCHER_SPEC';

/** The integrations' handoff to test workers (src/integrations/handoff.ts): every server of a run, with its secrets
 *  in the URLs. A test may start a server of its own; that server has no business knowing the run's others. */
const HANDOFF_TAG = 'QUICKDB_WATCHER_SERVERS';

const TAGS: readonly string[] = [INSTANCE_TAG, SPEC_TAG, HANDOFF_TAG];

// A copy of env without our identifying variables and the run's handoff (configuration such as
// QUICKDB_WATCHER_STATE stays).
export function dropInstanceTags<T extends Record<string, string | undefined>>(env: T): T {
  const copy = { ...env };
  for (const tag of TAGS) delete copy[tag];
  return copy;
}
