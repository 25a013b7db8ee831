// Unpacking a verified package tarball into a fresh dir of ours: regular files and dirs only, inside the dir (a
// package holding a link, a device or a path out is refused whole), no owners from the archive, modes without setuid
// or write for others, then the library links the package lists.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { x as extract } from 'tar';
import { QuickdbError } from '../../../errors.js';
import { linkLibraries } from '../embedded-package.js';

const KEPT_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

// Give every file 0644 (0755 when executable) and every dir 0755: readable by the server's user, writable by us only.
function settleModes(path: string): void {
  const st = lstatSync(path);
  if (st.isDirectory()) {
    chmodSync(path, 0o755);
    for (const name of readdirSync(path)) settleModes(join(path, name));
  } else if (st.isFile()) {
    chmodSync(path, (st.mode & 0o100) !== 0 ? 0o755 : 0o644);
  }
}

// The reason an entry may not be unpacked, or null: only files and dirs, on a relative path with no `..`.
function refuseEntry(path: string, type: string): string | null {
  if (!KEPT_TYPES.has(type)) return `${path} is a ${type}`;
  if (path.startsWith('/') || path.split('/').includes('..')) return `${path} points out of the package`;
  return null;
}

// Unpack the npm tarball `file` (its `package/` prefix dropped) into the empty dir `dir`; every entry is looked at
// (and the whole archive read) before a refusal, so nothing is still being written when the caller removes `dir`.
export async function unpackPackage(file: string, dir: string): Promise<void> {
  const refused: string[] = [];
  await extract({
    file,
    cwd: dir,
    strip: 1,
    preserveOwner: false,
    filter: (path, entry) => {
      const why = refuseEntry(path, 'type' in entry ? entry.type : 'File');
      if (why) refused.push(why);
      return why === null;
    },
    onwarn: (_code, message) => refused.push(String(message)),
  });
  if (refused.length > 0)
    throw new QuickdbError(
      `the package holds what may not be unpacked (${refused.slice(0, 3).join('; ')}); refused`,
    );
  settleModes(dir);
  linkLibraries(dir);
}
