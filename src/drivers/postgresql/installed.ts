// The bin dirs where an installed PostgreSQL of a given major may be: PATH, pg_config, then each platform's
// per-major places (Debian/Ubuntu, the PGDG RPMs, Homebrew, Postgres.app).
import { execFileSync } from 'node:child_process';
import { findExecutable, listPathDirs } from '../../state/process/executables.js';

export type InstalledSource = 'PATH' | 'system';

/** A dir to try, and how a user would name where it came from. */
export interface InstalledDir {
  dir: string;
  source: InstalledSource;
}

// The bin dir pg_config on PATH names, or null (no pg_config, or it fails).
function readPgConfigBindir(env: NodeJS.ProcessEnv): string | null {
  const pgConfig = findExecutable(['pg_config'], listPathDirs(env));
  if (!pgConfig) return null;
  try {
    const out = execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8', timeout: 10_000, stdio: 'pipe' });
    const dir = out.trim();
    return dir.startsWith('/') && !dir.includes('\n') ? dir : null;
  } catch {
    return null;
  }
}

// Every dir that may hold PostgreSQL `major`, in the order they are tried (each still has to say its version).
export function listInstalledDirs(major: number, env: NodeJS.ProcessEnv = process.env): InstalledDir[] {
  const pgConfig = readPgConfigBindir(env);
  const system = [
    `/usr/lib/postgresql/${major}/bin`,
    `/usr/pgsql-${major}/bin`,
    `/opt/homebrew/opt/postgresql@${major}/bin`,
    `/usr/local/opt/postgresql@${major}/bin`,
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  ];
  return [
    ...listPathDirs(env).map((dir) => ({ dir, source: 'PATH' as const })),
    ...(pgConfig ? [{ dir: pgConfig, source: 'system' as const }] : []),
    ...system.map((dir) => ({ dir, source: 'system' as const })),
  ];
}
