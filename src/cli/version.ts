// This package's own version, read from its package.json beside the code (never the caller's cwd or project).
import { readFileSync } from 'node:fs';

// The "version" of the package.json two levels above this module (dist/cli/ or src/cli/ → the package root).
export function readOwnVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return String(pkg.version);
}
