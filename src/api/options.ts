// The options every management call takes (the state root), checked once per call: an object of known keys, the
// root a path, and (for the calls that read records) a dir only this user can write (refused naming
// QUICKDB_WATCHER_STATE, as startServer does).
import { UsageError } from '../errors.js';
import { checkStateRoot } from '../launch/state-root.js';
import { resolveStateRoot } from '../state/files/trusted-roots.js';
import { suggestClosest } from '../suggest.js';

/** Where the management calls look for instances. */
export interface ManageOptions {
  /**
   * The state dir holding each instance's records, as given to `startServer({ stateRoot })`. Default: env
   * `QUICKDB_WATCHER_STATE`, else `$XDG_RUNTIME_DIR/quickdb-watcher`, else `<tmpdir>/quickdb-watcher-<uid>`.
   */
  stateRoot?: string;
}

/** What a call was given, checked: the state root and the call's own keys as they were. */
export type CheckedOptions<T> = T & { stateRoot: string };

// Refuse what is not an object of the call's keys; say the closest known key for a typo.
function checkKeys(call: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new UsageError('options', options, `expected an object of ${call} options: ${known.join(', ')}`);
  for (const [key, value] of Object.entries(options)) {
    if (known.includes(key)) continue;
    const near = suggestClosest(key, known);
    const hint = near ? ` (did you mean ${near}?)` : '';
    throw UsageError.fromMessage(
      `unknown option "${key}"${hint}; ${call} takes ${known.join(', ')}`,
      key,
      value,
    );
  }
}

// The state root the options name (checked) or the default one (resolved as every command does).
function readStateRoot(options: ManageOptions): string {
  const root = options.stateRoot;
  if (root === undefined) return resolveStateRoot();
  if (typeof root !== 'string' || root === '')
    throw new UsageError('stateRoot', root, 'expected the path of a state dir (as given to startServer)');
  return root;
}

// Check a management call's options once: the keys, the state root, and (with `check`) that the root is private.
export function checkManageOptions<T extends ManageOptions>(
  call: string,
  options: T | undefined,
  known: readonly (keyof T & string)[] = [],
  check = true,
): CheckedOptions<T> {
  const given = options ?? ({} as T);
  checkKeys(call, given, ['stateRoot', ...known]);
  const stateRoot = readStateRoot(given);
  if (check) checkStateRoot(stateRoot);
  return { ...given, stateRoot };
}

// Refuse an instance id that is not a string (an id that names no instance is the call's own answer).
export function checkId(id: unknown): string {
  if (typeof id !== 'string')
    throw new UsageError('id', id, 'expected the id of an instance (a string, e.g. "postgresql-1a2b3c4d")');
  return id;
}
