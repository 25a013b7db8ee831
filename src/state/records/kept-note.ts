// The note a kept database leaves in its instance's state dir: while it is there, a parent that goes hands the
// instance to its heir (the shell that ran the test runner) instead of ending it.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { createFileExclusive } from '../files/write-file.js';

/** The note's name in the instance's state dir. */
const KEPT_NOTE = 'kept-databases';

/** Leave the note (once: a second kept database finds it there); only its presence is ever read. */
export function writeKeptNote(stateDir: string, database: string): void {
  try {
    createFileExclusive(join(stateDir, KEPT_NOTE), `${database}\n`);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
  }
}

/** True when the state dir holds the note as a plain file (a link or anything else does not count). */
export function hasKeptNote(stateDir: string): boolean {
  try {
    return lstatSync(join(stateDir, KEPT_NOTE)).isFile();
  } catch {
    return false;
  }
}
