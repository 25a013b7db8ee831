// What a binary says for `--version`, cached by the binary's identity (path, inode, size, times) in memory and on disk.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareCacheRoot } from '../files/trusted-roots.js';
import { writeFileAtomic } from '../files/write-file.js';
import { findExecutable, listPathDirs } from './executables.js';

const FILE_NAME = 'versions.json';
const MAX_ENTRIES = 64;
const memory = new Map<string, string>();

// The cache key: the binary's real path and flag, plus what changes when the file is replaced or rewritten.
function identify(binary: string, flag: string): string | null {
  try {
    const real = realpathSync(
      binary.includes('/') ? binary : (findExecutable([binary], listPathDirs()) ?? binary),
    );
    const st = statSync(real);
    return `${real}\0${flag}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return null;
  }
}

// The on-disk cache, read as untrusted input: our own regular file (never through a link), lines checked.
function readDiskCache(file: string): Record<string, string> {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 65_536 || (process.getuid && st.uid !== process.getuid())) return {};
    const data = JSON.parse(readFileSync(fd, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
    const valid = Object.entries(data).filter(([, v]) => isVersionLine(v));
    return Object.fromEntries(valid) as Record<string, string>;
  } catch {
    return {};
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// A first line worth caching: short, and no control characters (it is printed to terminals).
function isVersionLine(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what a version line must not hold
  return !/[\u0000-\u001f\u007f]/.test(value);
}

// Add one entry to the on-disk cache (best effort: a cache that cannot be written costs the exec next time).
function writeDiskCache(file: string, key: string, line: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const entries = Object.entries(readDiskCache(file)).slice(-(MAX_ENTRIES - 1));
    writeFileAtomic(file, JSON.stringify(Object.fromEntries([...entries, [key, line]])));
  } catch {}
}

// Run `binary --version` (or flag) once; the first line, or '' when it cannot be run (never cached).
function runVersion(binary: string, flag: string): string {
  try {
    const out = execFileSync(binary, [flag], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n')[0]?.trim() ?? '';
  } catch {
    return '';
  }
}

// The first line a binary prints for `--version` (empty when it cannot be run); cached while the binary is unchanged.
export function readVersionLine(binary: string, flag = '--version'): string {
  const key = identify(binary, flag);
  if (key === null) return runVersion(binary, flag);
  const known = memory.get(key);
  if (known !== undefined) return known;
  // A cache root that is not ours is not read or written: the version is asked again instead.
  const root = prepareCacheRoot();
  if (!root.ok) return runVersion(binary, flag);
  const file = join(root.path, FILE_NAME);
  const cached = readDiskCache(file)[key];
  if (cached !== undefined) {
    memory.set(key, cached);
    return cached;
  }
  const line = runVersion(binary, flag);
  if (isVersionLine(line)) {
    memory.set(key, line);
    writeDiskCache(file, key, line);
  }
  return line;
}
