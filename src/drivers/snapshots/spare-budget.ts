// How many spares a spare root may hold: their copies are memory when the root is on RAM, so refills stop at a
// budget (a share of the filesystem, or QUICKDB_WATCHER_SPARES_MB) and always leave part of it free. Over budget a
// refill makes fewer spares; a launch without one clones, as before.
import { lstatSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

/** The share of the spare root's filesystem its spares may hold when no budget is given. */
const DEFAULT_SHARE = 0.25;
/** The share of the filesystem a refill always leaves free, whatever the budget. */
const FREE_FLOOR = 0.1;
/** A spare's size, measured once per snapshot build (its tree never changes). */
const measured = new Map<string, number>();

// The bytes a copy of a tree allocates (blocks, not lengths: what tmpfs takes from memory), measured once per build.
export function measureSpareBytes(tree: string, build: string): number {
  let bytes = measured.get(build);
  if (bytes !== undefined) return bytes;
  bytes = lstatSync(tree).blocks * 512;
  for (const entry of readdirSync(tree, { recursive: true }) as string[])
    bytes += lstatSync(join(tree, entry)).blocks * 512;
  measured.set(build, bytes);
  return bytes;
}

// How many more spares of `each` bytes the filesystem of `dir` affords when `held` spares (or refills) are there
// already: within the budget (MB, or null for the default share), leaving the free floor.
export function countAffordable(dir: string, each: number, held: number, budgetMb: number | null): number {
  const fs = statfsSync(dir);
  const size = fs.blocks * fs.bsize;
  const free = fs.bavail * fs.bsize;
  const budget = budgetMb === null ? size * DEFAULT_SHARE : budgetMb * 1048576;
  const one = Math.max(each, 4096);
  const withinBudget = Math.floor(budget / one) - held;
  const withinFree = Math.floor((free - size * FREE_FLOOR) / one);
  return Math.max(0, Math.min(withinBudget, withinFree));
}
