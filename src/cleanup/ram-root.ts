// Giving a RAM root's memory back: its snapshot spares removed (each renamed aside first, so a launch taking one at
// that moment gets it whole or not at all), and the root itself once nothing else is in it. Node built-ins only.
import {
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeOwnPath } from '../state/files/remove-own.js';
import { getInstancePaths } from '../state/records/paths.js';
import { ID_PATTERN } from '../state/records/spec.js';
import { isFinishedPhase, readStatusFile } from '../state/records/status.js';

/** The dir, inside a spare root, that holds the spares. */
export const SPARES = '.spares';
/** The file in a RAM root naming the state root it serves. */
export const STATE_ROOT_NOTE = '.state-root';
/** How a spare renamed aside for removal starts. */
const DOOMED = '.released-';

// The names in a dir, none when it cannot be read.
function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// Remove one entry of a spares dir (a spare, a refill's copy or lock): renamed aside first, so a launch taking the
// spare by rename at that moment gets it whole or not at all; then removed as ours (no link followed, no mount
// crossed). True when it is gone.
export function removeSpareEntry(spares: string, name: string): boolean {
  const aside = join(spares, `${DOOMED}${process.pid}-${Date.now()}-${name.replace(/^\./, '')}`);
  try {
    renameSync(join(spares, name), aside);
  } catch {
    return false; // taken by a launch, or moved into place by its refill
  }
  try {
    if (!lstatSync(aside).isDirectory()) {
      unlinkSync(aside); // a file, or a link (removed itself, never followed)
      return true;
    }
  } catch {
    return false;
  }
  return removeOwnPath(aside, 'dir');
}

// Remove every spare in `root` (refills under way too: their copy is renamed away, so it is never put in place, and
// the refill drops its other slots); with `locks`, the slots' locks go too, so no further slot is started. A few
// passes catch a refill that finished meanwhile. Returns the names removed.
export function removeAllSpares(root: string, locks = false): string[] {
  const spares = join(root, SPARES);
  const removed: string[] = [];
  // Only a real dir of ours: a link in its place is never walked through.
  if (!lstatSync(spares, { throwIfNoEntry: false })?.isDirectory()) return removed;
  for (let pass = 0; pass < 3; pass++) {
    const names = listNames(spares).filter(
      (n) => (locks || !n.endsWith('.filling')) && !n.startsWith(DOOMED),
    );
    if (names.length === 0) break;
    for (const name of names) if (removeSpareEntry(spares, name)) removed.push(name);
  }
  for (const name of listNames(spares).filter((n) => n.startsWith(DOOMED)))
    removeOwnPath(join(spares, name), 'dir');
  return removed;
}

// Remove a RAM root holding nothing but its note (and an empty spares dir); true when it is gone.
export function removeEmptyRamRoot(root: string): boolean {
  try {
    rmdirSync(join(root, SPARES));
  } catch {}
  if (listNames(root).some((n) => n !== STATE_ROOT_NOTE)) return false;
  removeOwnPath(join(root, STATE_ROOT_NOTE), 'file');
  try {
    rmdirSync(root);
    return true;
  } catch {
    return false; // a launch made its data dir there meanwhile: the root stays (it makes its note again)
  }
}

/** The state root a RAM root's note names (an absolute path, one line: read as untrusted), or null when there is
 *  none or it is odd. */
export function readStateRootNote(root: string): string | null {
  try {
    const text = readFileSync(join(root, STATE_ROOT_NOTE), 'utf8').trim();
    return text.startsWith('/') && !text.includes('\n') && text.length < 4096 ? text : null;
  } catch {
    return null;
  }
}

// True while some instance of the state root other than `id` runs or is being launched (a claim, no status yet).
function hasOtherInstance(stateRoot: string, id: string): boolean {
  return listNames(stateRoot).some((name) => {
    if (name.startsWith('.claim-')) return true;
    if (name === id || !ID_PATTERN.test(name)) return false;
    const status = readStatusFile(getInstancePaths(stateRoot, name).status);
    return !status || !isFinishedPhase(status.phase);
  });
}

/** After an instance finished: when its data dir lived in a RAM root serving its state root and no other instance
 *  of that root runs or launches, give the root's spares back and remove the root when empty. */
export async function releaseIdleRamRoot(stateRoot: string, id: string, dataDir: string): Promise<void> {
  const root = dirname(dataDir);
  const served = readStateRootNote(root);
  // Not a RAM root (a data dir given by the user, or on disk), or one serving another state root.
  try {
    if (served === null || served !== realpathSync(stateRoot)) return;
  } catch {
    return; // its state root is gone
  }
  if (hasOtherInstance(stateRoot, id)) return;
  removeAllSpares(root, true);
  // A refill cut short above ends in a moment and removes its copy; then the root can go.
  const filling = () =>
    listNames(join(root, SPARES)).some((n) => n.includes('.tmp-') && !n.startsWith(DOOMED));
  for (const deadline = Date.now() + 5000; filling() && Date.now() < deadline; ) await sleep(50);
  removeAllSpares(root, true);
  removeEmptyRamRoot(root);
}
