// A dir only we may use (the state root, the RAM data root): made owner-only, refused when another user could touch it.
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { findUnsafeDir } from './safe-dirs.js';

// Create dir (0700) if missing and check it is ours alone; the problem (as "allowed" text for an error), or null.
export function ensurePrivateDir(dir: string): string | null {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (st.isSymbolicLink()) return 'is a symbolic link (a dir we trust is reached with no link on the way)';
  if (!st.isDirectory()) return 'expected a directory';
  if (uid !== undefined && st.uid !== uid)
    return `is owned by uid ${st.uid}, not you (uid ${uid}); choose your own dir`;
  const unsafe = findUnsafeDir(dir);
  if (unsafe) return `${unsafe}; choose a dir only you can write`;
  // Search-only for others (o+x) is kept: as root, database drivers let their server's own user reach its dir.
  if ((st.mode & 0o076) !== 0) chmodSync(dir, 0o700 | (st.mode & 0o001));
  return null;
}
