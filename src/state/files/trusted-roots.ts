// The roots whose contents we trust (state, cache): where each is, and made private before use. A default location
// that another user took first is replaced by a private fallback (with a notice), so a squatter cannot deny service;
// a root the user named is refused instead, naming its env var.
import { lstatSync, type Stats } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from './private-dir.js';
import { readUserTag } from './real-path.js';
import { findUnsafeDir } from './safe-dirs.js';

/** A root and what chose it: the env var the user set, or where a default came from. */
export interface RootChoice {
  path: string;
  /** The env var that named it (QUICKDB_WATCHER_STATE, QUICKDB_WATCHER_CACHE), or null for a default. */
  envVar: string | null;
  /** Set when the default was taken by another user and this fallback replaces it: what to tell the user. */
  notice?: string;
}

/** A root made ready, or why it cannot be (and which env var would choose another). */
export type RootReady =
  | { ok: true; path: string; notice?: string }
  | { ok: false; path: string; envVar: string; problem: string };

// The user's own cache base: $XDG_CACHE_HOME, else ~/.cache.
function findCacheBase(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME || join(homedir(), '.cache');
}

// Why the nearest existing dir at or above `dir` is open to others, or null (safe, or nothing there to judge).
function findUnsafeAncestor(dir: string): string | null {
  try {
    for (let at = dir; ; at = dirname(at)) {
      if (lstatSync(at, { throwIfNoEntry: false })) return findUnsafeDir(at);
      if (dirname(at) === at) return null;
    }
  } catch {
    return null; // not visible to us: the step that needs it fails with its own error
  }
}

// Why a dir cannot be ours (another owner, not a dir, open to others above it, or not there yet in a dir open to
// others), or null: ours, absent from a safe place, or not even visible to us (what cannot be seen cannot be read or acted on either; the step that needs it fails).
export function describeTakenDir(path: string): string | null {
  let st: Stats | undefined;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return null;
  }
  // Not there yet: it will be made in the nearest dir that is, which must be safe for it to be ours.
  if (!st) return findUnsafeAncestor(dirname(path));
  if (!st.isDirectory()) return 'is not a directory';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `belongs to uid ${st.uid}, not you (uid ${uid})`;
  return findUnsafeDir(path);
}

// Make `path` a private dir of ours; the problem as text, or null.
function preparePrivateDir(path: string): string | null {
  try {
    return ensurePrivateDir(path);
  } catch (cause) {
    return `cannot be made: ${(cause as Error).message}`;
  }
}

// The state root: $QUICKDB_WATCHER_STATE, else $XDG_RUNTIME_DIR/quickdb-watcher, else <tmp>/quickdb-watcher-<uid>;
// a default another user took (or an earlier fallback still there) gives <cache base>/quickdb-watcher/state.
export function chooseStateRoot(env: NodeJS.ProcessEnv = process.env): RootChoice {
  if (env.QUICKDB_WATCHER_STATE) return { path: env.QUICKDB_WATCHER_STATE, envVar: 'QUICKDB_WATCHER_STATE' };
  const preferred = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'quickdb-watcher')
    : join(tmpdir(), `quickdb-watcher-${readUserTag()}`);
  const fallback = join(findCacheBase(env), 'quickdb-watcher', 'state');
  // Once used, the fallback stays the root while it exists, so no instance is ever lost between two roots.
  if (describeTakenDir(fallback) === null && lstatSync(fallback, { throwIfNoEntry: false }))
    return { path: fallback, envVar: null };
  const taken = describeTakenDir(preferred);
  if (taken === null) return { path: preferred, envVar: null };
  const notice = `${preferred} ${taken}; using ${fallback} instead (remove that dir, or set QUICKDB_WATCHER_STATE)`;
  return { path: fallback, envVar: null, notice };
}

// The cache root as configured: $QUICKDB_WATCHER_CACHE, else $XDG_CACHE_HOME/quickdb-watcher, else ~/.cache/….
function chooseCacheRoot(env: NodeJS.ProcessEnv = process.env): RootChoice {
  if (env.QUICKDB_WATCHER_CACHE) return { path: env.QUICKDB_WATCHER_CACHE, envVar: 'QUICKDB_WATCHER_CACHE' };
  return { path: join(findCacheBase(env), 'quickdb-watcher'), envVar: null };
}

// The state root's path (see chooseStateRoot).
export function resolveStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return chooseStateRoot(env).path;
}

// Make the cache root ready: the one named is refused when not private; a default that cannot be ours (another
// user's, an unwritable HOME) falls back to a private dir inside the state root.
export function prepareCacheRoot(env: NodeJS.ProcessEnv = process.env): RootReady {
  const choice = chooseCacheRoot(env);
  const known = preparedCaches.get(choice.path);
  if (known) return known;
  const ready = prepareCacheRootOnce(choice, env);
  if (ready.ok) preparedCaches.set(choice.path, ready);
  return ready;
}

/** Cache roots already made ready in this process, by the path chosen (they stay ours: only we can change them). */
const preparedCaches = new Map<string, RootReady>();

function prepareCacheRootOnce(choice: RootChoice, env: NodeJS.ProcessEnv): RootReady {
  const problem = preparePrivateDir(choice.path);
  if (problem === null) return { ok: true, path: choice.path };
  if (choice.envVar) return { ok: false, path: choice.path, envVar: choice.envVar, problem };
  const state = chooseStateRoot(env).path;
  const fallback = join(state, '.cache');
  const stateProblem = preparePrivateDir(state);
  const fallbackProblem = stateProblem ?? preparePrivateDir(fallback);
  if (fallbackProblem !== null)
    return {
      ok: false,
      path: choice.path,
      envVar: 'QUICKDB_WATCHER_CACHE',
      problem: `${problem} (and ${fallback} ${fallbackProblem})`,
    };
  const notice = `the cache ${choice.path} ${problem}; using ${fallback} instead (set QUICKDB_WATCHER_CACHE or XDG_CACHE_HOME to choose)`;
  return { ok: true, path: fallback, notice };
}

/** Notices already given in this process: each fallback is said once. */
const noticed = new Set<string>();

// Tell the user (stderr, once per process) that a fallback root replaces a default another user took.
export function giveNotice(notice: string | undefined): void {
  if (!notice || noticed.has(notice)) return;
  noticed.add(notice);
  process.stderr.write(`quickdb-watcher: notice: ${notice}\n`);
}
