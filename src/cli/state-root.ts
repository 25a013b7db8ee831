// The state root a reading command uses (list, status, env, db; stop and gc are checked in the launcher): resolved
// as every command does, and refused (exit 2, naming QUICKDB_WATCHER_STATE) when others could have written it.
export async function findStateRoot(): Promise<string> {
  // Loaded here: `--help` and `--version` need neither.
  const { resolveStateRoot } = await import('../state/files/trusted-roots.js');
  const { checkStateRoot } = await import('../launch/state-root.js');
  const root = resolveStateRoot();
  checkStateRoot(root);
  return root;
}
