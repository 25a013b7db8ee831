// The RAM budget the refills of snapshot spares keep to (env QUICKDB_WATCHER_SPARES_MB): over it a refill makes
// fewer spares, and a launch without one clones.
import { UsageError } from '../../errors.js';

/** The env var bounding the MB one spare root's spares may hold. */
const BUDGET_ENV = 'QUICKDB_WATCHER_SPARES_MB';
/** The largest budget accepted: 1 TB, far beyond any RAM filesystem. */
const BUDGET_MAX_MB = 1_048_576;

// The budget in MB from the env, or null when unset (a quarter of the spare root's filesystem); a bad value is a
// UsageError naming the variable.
export function readSpareBudget(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env[BUDGET_ENV];
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > BUDGET_MAX_MB)
    throw new UsageError(BUDGET_ENV, raw, `expected a whole number of MB from 0 to ${BUDGET_MAX_MB}`);
  return Number(raw);
}
