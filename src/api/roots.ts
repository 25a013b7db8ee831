// Where the state root is (env QUICKDB_WATCHER_STATE, else the per-user default), without checking or making it.
export { resolveStateRoot } from '../state/files/trusted-roots.js';
