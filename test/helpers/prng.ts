// A small seeded PRNG (mulberry32) for randomized campaigns, so any failing trial can be replayed from its seed.

export interface Rng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

// Build a generator from a 32-bit seed.
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: seed >>> 0,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  };
}

// The campaign seed: $QUICKDB_FAULT_SEED when set (to replay), else a fresh one.
export function readSeed(): number {
  const env = process.env.QUICKDB_FAULT_SEED;
  if (env && /^\d+$/.test(env)) return Number(env) >>> 0;
  return Math.floor(Math.random() * 2 ** 31);
}

// The seed of trial n derived from the campaign seed, so one trial replays alone.
export function deriveSeed(seed: number, n: number): number {
  return createRng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0).int(0, 2 ** 31);
}
