// Acting on an instance by id: stop (keeping the data or not), kill, quiet; each waits until it took effect.
import { UsageError } from '../errors.js';
import { type ControlAction, type ControlResult, controlInstance as controlAt } from '../manage/control.js';
import { checkId, checkManageOptions, type ManageOptions } from './options.js';

export type { ControlAction, ControlResult };

const ACTIONS: readonly ControlAction[] = ['stop', 'keep', 'kill', 'quiet'];

// Refuse an action that is not one of the four.
function checkAction(action: unknown): ControlAction {
  if (!ACTIONS.includes(action as ControlAction))
    throw new UsageError('action', action, `expected one of: ${ACTIONS.join(', ')}`);
  return action as ControlAction;
}

/**
 * Stop, kill or quiet an instance by id (any process of this user may, not only the one that started it), and wait
 * until it took effect: `'stop'` (SIGTERM: stop the server, delete the data dir), `'keep'` (SIGINT: stop, keep the
 * data), `'kill'` (SIGUSR1: fast eliminate), `'quiet'` (SIGHUP: stop reporting errors).
 *
 * @example
 * ```ts
 * const result = await controlInstance('postgresql-1a2b3c4d', 'stop');
 * if (!result.ok) console.error(result.status?.error);
 * ```
 * @throws {UsageError} there is no such instance, the action or options are not valid.
 * @throws {QuickdbError} its records are refused, or the watcher did not stop within its budget.
 */
export function controlInstance(
  id: string,
  action: ControlAction,
  options?: ManageOptions,
): Promise<ControlResult>;
/**
 * The earlier form, the state root first: `controlInstance(stateRoot, id, action)`.
 *
 * @deprecated give the state root as an option: `controlInstance(id, action, { stateRoot })`.
 */
export function controlInstance(stateRoot: string, id: string, action: ControlAction): Promise<ControlResult>;
export async function controlInstance(
  first: string,
  second: string,
  third?: ControlAction | ManageOptions,
): Promise<ControlResult> {
  if (typeof third === 'string') return controlAt(first, checkId(second), checkAction(third));
  // controlInstance checks the root is private itself (once, before it reads a record).
  const { stateRoot } = checkManageOptions('controlInstance', third, [], false);
  return controlAt(stateRoot, checkId(first), checkAction(second));
}
