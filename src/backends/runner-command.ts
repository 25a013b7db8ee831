// The runner's command line, shared by every backend and the unit generator.
import { fileURLToPath } from 'node:url';

// Absolute path of dist/runner.js.
export function runnerScriptPath(): string {
  return fileURLToPath(new URL('../runner.js', import.meta.url));
}

// argv that starts the runner: Node with the inspector pinned to port 0 and its id only on stderr.
export function runnerCommand(
  specPath: string,
  extra: string[] = [],
  nodePath = process.execPath,
  scriptPath = runnerScriptPath(),
): string[] {
  return [nodePath, '--inspect-port=0', '--inspect-publish-uid=stderr', scriptPath, ...extra, specPath];
}
