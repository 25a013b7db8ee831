// The instance's state dir at the end: removed when it holds nothing worth reading, and a half-removed one finished.
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { deleteStateDir } from '../state/files/marker.js';
import { isProcessAlive } from '../state/process/procstat.js';
import { INSTANCE_FILES } from '../state/records/paths.js';
import type { Spec } from '../state/records/spec.js';
import type { Status } from '../state/records/status.js';

/** The files a watcher's state dir holds (the data dir aside); nothing else is removed without a spec. */
const STATE_FILE =
  /^(spec\.json|\.?status\.json(\.\d+\.tmp|\.[0-9a-f]{16}\.tmp)?|runner\.log|server\.log|lifeline\.sock|launch\.json(\.\d+\.tmp)?)$/;

// Remove the instance's own state dir (only a real dir directly under the state root), through the checked deletion.
export function removeStateDir(spec: Spec): void {
  deleteStateDir(spec.stateDir, spec.stateRoot);
}

// True when a finished instance's state holds nothing worth reading: a clean finish, its data deleted, no error,
// and no launcher still waiting to read why it never got ready.
export function isStateDisposable(spec: Spec, status: Status, neverReady: boolean): boolean {
  if (status.phase !== 'done' || status.dataDir.state !== 'deleted' || status.error) return false;
  return !(neverReady && spec.launcher && isProcessAlive(spec.launcher));
}

// True when dir holds watcher files but no spec: a watcher killed inside its own state-dir removal. A launch can look
// the same for a moment (a detached watcher started early has its runner.log before the spec): gc's verdict asks the
// launcher's claim first, and a live launcher's dir is a launch. The launcher's claim alone is a launch too.
export function isHalfRemovedStateDir(dir: string): boolean {
  try {
    const entries = readdirSync(dir);
    return (
      entries.some((name) => !name.startsWith('launch.json')) &&
      !entries.includes(INSTANCE_FILES.spec) &&
      entries.every((name) => STATE_FILE.test(name))
    );
  } catch {
    return false;
  }
}

// When the spec is gone, the watcher was killed while removing its state dir after a clean finish (and systemd
// re-created runner.log for the post-stop step). Finish that removal, by file name; anything else keeps the dir.
export function tidyRemovedStateDir(specPath: string): void {
  if (basename(specPath) !== INSTANCE_FILES.spec) return;
  const dir = dirname(specPath);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  // Through the one checked deletion; anything not a watcher file is kept, and with it the dir.
  deleteStateDir(
    dir,
    dirname(dir),
    entries.filter((name) => !STATE_FILE.test(name)),
  );
}
