// The names of snapshot spares: `<key>~<ino>~<slot>`, the snapshot key, the snapshot dir's inode (a rebuilt
// snapshot never hands out an old copy) and a slot number (several spares of one snapshot, one lock per slot).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSnapshotsDir } from './location.js';

/** The most spares one snapshot keeps ahead (the `spares` option's bound; a slot name beyond it is never used). */
export const SPARES_MAX = 32;

/** A spare's name taken apart. */
interface SpareName {
  key: string;
  /** `<key>~<ino>`: the snapshot build the spare was copied from. */
  base: string;
  slot: number;
}

const SLOT_NAME = /^(.+)~(\d{1,20})~(\d{1,2})$/;

// The name every spare of this snapshot build starts with: its key and the snapshot dir's inode; null when gone.
export function nameSpareBase(snapshotDir: string, key: string): string | null {
  try {
    return `${key}~${statSync(snapshotDir).ino}`;
  } catch {
    return null;
  }
}

// A spare's name taken apart (untrusted: read from a dir listing); null for a refill's file, a lock, or an odd name.
export function parseSpareName(name: string): SpareName | null {
  const match = SLOT_NAME.exec(name);
  if (!match || name.startsWith('.')) return null;
  const slot = Number(match[3]);
  if (slot >= SPARES_MAX) return null;
  return { key: match[1] as string, base: `${match[1]}~${match[2]}`, slot };
}

// The name of slot `slot` of the spares of this build (base from nameSpareBase).
export function nameSlot(base: string, slot: number): string {
  return `${base}~${slot}`;
}

// The lock a refill of slot `slot` holds while it copies (a dot name: never taken, swept when stale).
export function nameSlotLock(base: string, slot: number): string {
  return `.${nameSlot(base, slot)}.filling`;
}

// The slots of build `base` present in a listing: a spare in place, or a refill under way (its lock).
export function listBusySlots(names: string[], base: string): Set<number> {
  const busy = new Set<number>();
  for (const name of names) {
    const plain =
      name.startsWith('.') && name.endsWith('.filling') ? name.slice(1, -'.filling'.length) : name;
    const parsed = parseSpareName(plain);
    if (parsed?.base === base) busy.add(parsed.slot);
  }
  return busy;
}

// True when a spare's name matches a snapshot in the cache now (same key, same build, a slot in range); a cache that
// cannot be checked keeps the spare (its sweep waits for a cache that can).
export function isSpareCurrent(name: string): boolean {
  const parsed = parseSpareName(name);
  if (!parsed) return false;
  let snapshotsDir: string;
  try {
    snapshotsDir = resolveSnapshotsDir();
  } catch {
    return true;
  }
  return nameSpareBase(join(snapshotsDir, parsed.key), parsed.key) === parsed.base;
}
