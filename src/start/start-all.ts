// Starting several servers at once, all of them or none: when one start fails, those that started are stopped and
// the first failure is thrown (exec's `--and` servers, a test runner's servers).

/** A started server, as far as undoing it goes. */
interface Stoppable {
  stop(): Promise<unknown>;
}

// Await every start; on a failure, stop what started (`onStopError` hears a stop that failed) and throw the failure.
export async function startAllOrNone<T extends Stoppable>(
  starts: Promise<T>[],
  onStopError: (error: unknown) => void = () => {},
): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (!failed) return started;
  const stops = await Promise.allSettled(started.map((instance) => instance.stop()));
  for (const stop of stops) if (stop.status === 'rejected') onStopError(stop.reason);
  throw failed.reason;
}

/** Await every promise (none is left running), then throw the first failure, if any (stops and closes of several). */
export async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
