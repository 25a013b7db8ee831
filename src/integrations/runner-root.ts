// Relative migration paths in a runner's config start at the runner's root (vitest's `root`, jest's `rootDir`), as
// every other path in that config does, not at whatever dir the runner was started from.
import type { GroupOptions, IntegrationOptions } from './plan.js';

// One group's options with migrateRoot set to `root`, unless it gives its own.
function rootGroup<T extends GroupOptions>(options: T, root: string): T {
  return options.migrateRoot === undefined ? { ...options, migrateRoot: root } : options;
}

/** The options with `migrateRoot` set to the runner's `root` for the main group and each of `also` (a value that is
 *  not an object is left for the checks to refuse); unchanged when the runner reports no root. */
export function applyRunnerRoot(options: IntegrationOptions, root: string | undefined): IntegrationOptions {
  if (typeof root !== 'string' || root === '' || typeof options !== 'object' || options === null)
    return options;
  const { also } = options;
  const withRoot = rootGroup(options, root);
  if (typeof also !== 'object' || also === null || Array.isArray(also)) return withRoot;
  const rooted = Object.entries(also).map(([name, group]) => [
    name,
    typeof group === 'object' && group !== null && !Array.isArray(group) ? rootGroup(group, root) : group,
  ]);
  return { ...withRoot, also: Object.fromEntries(rooted) };
}
