// Pre-cloned spares of a snapshot beside the data dirs (in our own private root), as many as the launches asked
// for: a launch takes any one by one atomic rename instead of copying ~1000 files, and one detached, niced process
// refills the missing ones (within the RAM budget) once the instance is ready.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SPARES } from '../../cleanup/ram-root.js';
import { closeDir, type DirHandle, dirPath, entryPath } from '../../state/files/dir-handle.js';
import { createFileExclusive } from '../../state/files/write-file.js';
import type { SpareRequest } from '../types.js';
import { countAffordable, measureSpareBytes } from './spare-budget.js';
import { listBusySlots, nameSlot, nameSlotLock, nameSpareBase, parseSpareName } from './spare-names.js';
import { openSpares, sweepBesideRefill } from './spare-sweep.js';

// Move the spare `name` to `target`: true when a real dir was moved. Something else moved there in a race (a link
// or a file planted under a spare's name) is unlinked, never followed nor handed out.
function claimSpare(spares: DirHandle, name: string, target: string): boolean {
  try {
    if (!lstatSync(entryPath(spares, name)).isDirectory()) return false;
    renameSync(entryPath(spares, name), target);
  } catch {
    return false; // taken by a concurrent launch first, or on another filesystem: the next one, or clone
  }
  try {
    if (lstatSync(target).isDirectory()) return true;
    unlinkSync(target);
  } catch {}
  return false;
}

// Move one spare of this snapshot to `target` (which must not exist); false when there is none left.
export function takeSpare(root: string, snapshotDir: string, key: string, target: string): boolean {
  const base = nameSpareBase(snapshotDir, key);
  if (base === null || process.platform !== 'linux') return false;
  const spares = openSpares(root);
  if (!spares) return false;
  try {
    const names = readdirSync(dirPath(spares)).filter((n) => parseSpareName(n)?.base === base);
    // Concurrent launches start at different spares, so few of their renames find theirs taken.
    const first = Math.floor(Math.random() * names.length);
    for (let i = 0; i < names.length; i++)
      if (claimSpare(spares, names[(first + i) % names.length] as string, target)) return true;
    return false;
  } catch {
    return false;
  } finally {
    closeDir(spares);
  }
}

// One detached, niced shell copies the snapshot into each slot in turn (a temporary name, renamed into place when
// complete), through the spares dir's handle (its fd 3), and drops each slot's lock when done. A slot whose lock is
// gone (gc or a RAM release took it) is not put in place; the first failure ends the run and drops the rest.
const REFILL_SCRIPT = `src=$1; shift
while [ $# -ge 3 ]; do
  if [ -e "$3" ] && cp -a --reflink=auto -- "$src" "$1" && [ -e "$3" ] && mv -T -- "$1" "$2"; then
    rm -f -- "$3"; shift 3; continue
  fi
  rm -rf -- "$1"
  while [ $# -ge 3 ]; do rm -f -- "$3"; shift 3; done
done`;

// Start the copies into `slots` (each locked already) of build `base`.
function startCopies(spares: DirHandle, tree: string, base: string, slots: number[]): void {
  const at = (name: string) => `/proc/self/fd/3/${name}`;
  const args = slots.flatMap((slot) => [
    at(`.${nameSlot(base, slot)}.tmp-${process.pid}-${Date.now()}`),
    at(nameSlot(base, slot)),
    at(nameSlotLock(base, slot)),
  ]);
  const child = spawn('nice', ['-n', '10', 'sh', '-c', REFILL_SCRIPT, 'refill', tree, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', spares.fd],
  });
  child.on('error', () => {});
  child.unref();
}

// Whether an entry of a spares dir holds (or will hold) a spare's memory: a spare, or a refill's lock.
const holdsSpare = (name: string): boolean => parseSpareName(name) !== null || name.endsWith('.filling');

// Refill the missing spares of this snapshot, up to the request's count and within its RAM budget; no-op while
// every slot is full or being filled.
export function refillSpares(request: SpareRequest, snapshotDir: string, key: string): void {
  const base = nameSpareBase(snapshotDir, key);
  if (base === null || process.platform !== 'linux' || request.count === 0) return;
  sweepBesideRefill(request.root, snapshotDir, key);
  try {
    mkdirSync(join(request.root, SPARES), { mode: 0o700, recursive: true });
  } catch {
    return; // the root is not writable: launches clone
  }
  const spares = openSpares(request.root);
  if (!spares) return;
  try {
    const names = readdirSync(dirPath(spares));
    const busy = listBusySlots(names, base);
    const missing = Array.from({ length: request.count }, (_, slot) => slot).filter((s) => !busy.has(s));
    if (missing.length === 0) return;
    const tree = join(snapshotDir, 'data');
    const held = names.filter(holdsSpare).length;
    const affordable = countAffordable(
      dirPath(spares),
      measureSpareBytes(tree, base),
      held,
      request.budgetMb,
    );
    const slots = missing.slice(0, affordable).filter((slot) => lockSlot(spares, base, slot));
    if (slots.length > 0) startCopies(spares, tree, base, slots);
  } catch {
    // the snapshot went, or the dir cannot be read: launches clone
  } finally {
    closeDir(spares);
  }
}

// Take a slot's lock; false when another refill holds it.
function lockSlot(spares: DirHandle, base: string, slot: number): boolean {
  try {
    createFileExclusive(entryPath(spares, nameSlotLock(base, slot)), '');
    return true;
  } catch {
    return false;
  }
}
