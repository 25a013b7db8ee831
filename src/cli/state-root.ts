// The state root a reading or acting command uses: resolved as every command does, and refused (exit 2, naming
// QUICKDB_WATCHER_STATE) when another user could have written what it holds.
export async function findStateRoot(): Promise<string> {
  // Loaded here: `--help` and `--version` need neither.
  const { resolveStateRoot } = await import('../state/trusted-roots.js');
  const { checkStateRoot } = await import('../launcher/state-root.js');
  const root = resolveStateRoot();
  checkStateRoot(root);
  return root;
}
