// The watcher's command line, shared by every backend and the definition generator.
import { fileURLToPath } from 'node:url';

// Absolute path of dist/runner.js, the watcher's entry.
export function watcherScriptPath(): string {
  return fileURLToPath(new URL('../runner.js', import.meta.url));
}

// argv that starts the watcher: Node with the inspector pinned to port 0 and its id only on stderr.
export function buildWatcherCommand(
  specPath: string,
  extra: string[] = [],
  nodePath = process.execPath,
  scriptPath = watcherScriptPath(),
): string[] {
  return [nodePath, '--inspect-port=0', '--inspect-publish-uid=stderr', scriptPath, ...extra, specPath];
}
