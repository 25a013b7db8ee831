// Where a default data dir lives: on a RAM-backed filesystem when one has room (fast), else on disk in the state dir.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_ROOT_NOTE } from '../cleanup/ram-root.js';
import { UsageError } from '../errors.js';
import { ensurePrivateDir } from '../state/files/private-dir.js';
import { readUserTag, resolveRealPath } from '../state/files/real-path.js';
import { writeFileAtomic } from '../state/files/write-file.js';
import type { InstancePaths } from '../state/records/paths.js';

/** Where the user asked for data: `auto` picks RAM when it has room, `ram` and `disk` force one. */
export type DataOn = 'auto' | 'ram' | 'disk';

const DATA_ON_CHOICES: readonly DataOn[] = ['auto', 'ram', 'disk'];

/** The user's choice and where it came from (an option wins over the env var). */
export interface DataOnChoice {
  value: DataOn;
  from: '--data-on' | 'QUICKDB_WATCHER_DATA_ON' | 'default';
  /** Why a default other than auto applies (e.g. for `generate`). */
  why?: string;
}

/** Where a data dir ended up, and why (printed by `up` and `status`). */
export interface Placement {
  on: 'ram' | 'disk';
  why: string;
}

/** A chosen data dir: where, why, and the private root we made it in (the RAM root), if any. */
export interface PlacedDataDir extends Placement {
  dir: string;
  root?: string;
  /** True when the user named the dir (--data-dir). */
  given?: boolean;
}

/** Free space (on the RAM filesystem and in available memory) below which `auto` keeps data on disk. */
const RAM_MIN_FREE_BYTES = 512 * 1024 * 1024;

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

// The option a choice came from, as an error names it: the library's key (the CLI shows its flag), or the env var.
function nameChoiceOption(from: DataOnChoice['from']): string {
  return from === '--data-on' ? 'dataOn' : from;
}

// Check --data-on / QUICKDB_WATCHER_DATA_ON; the option wins over the env var, and both default to auto.
export function validateDataOn(value: unknown, env: NodeJS.ProcessEnv = process.env): DataOnChoice {
  const from = value !== undefined ? '--data-on' : 'QUICKDB_WATCHER_DATA_ON';
  const raw = value !== undefined ? value : env.QUICKDB_WATCHER_DATA_ON;
  if (raw === undefined || raw === '') return { value: 'auto', from: 'default' };
  if (!DATA_ON_CHOICES.includes(raw as DataOn))
    throw new UsageError(nameChoiceOption(from), raw, `expected one of: ${DATA_ON_CHOICES.join(', ')}`);
  return { value: raw as DataOn, from };
}

// `generate`'s default: data on disk, as a generated unit may start after a reboot, which empties RAM.
export function preferDiskForUnits(choice: DataOnChoice): DataOnChoice {
  if (choice.from !== 'default') return choice;
  return {
    value: 'disk',
    from: 'default',
    why: 'generated units may start after a reboot, which empties RAM',
  };
}

// True when the filesystem holding path (or its nearest existing ancestor) keeps its files in memory.
export function isOnRam(path: string): boolean {
  try {
    const type = statfsSync(resolveRealPath(path)).type;
    return type === TMPFS_MAGIC || type === RAMFS_MAGIC;
  } catch {
    return false;
  }
}

// The system's available memory in bytes (MemAvailable), or Infinity where /proc/meminfo does not say.
function readAvailableMemory(): number {
  try {
    const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The start of every RAM root's name, before "<uid>-<hash>". */
export const RAM_ROOT_PREFIX = 'quickdb-watcher-';

// The RAM filesystem dir to use: $QUICKDB_WATCHER_RAM_DIR, else /dev/shm on Linux; null where there is none.
export function resolveRamFs(env: NodeJS.ProcessEnv): string | null {
  if (env.QUICKDB_WATCHER_RAM_DIR) return env.QUICKDB_WATCHER_RAM_DIR;
  return process.platform === 'linux' ? '/dev/shm' : null;
}

// This state root's dir of RAM data dirs: one per user and state root, so gc of one root never sees another's.
export function resolveRamRoot(stateRoot: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const fs = resolveRamFs(env);
  if (fs === null) return null;
  const hash = createHash('sha256').update(resolveRealPath(stateRoot)).digest('hex').slice(0, 8);
  return join(fs, `${RAM_ROOT_PREFIX}${readUserTag()}-${hash}`);
}

// Why RAM cannot hold the data (no RAM filesystem, or too little room), or null when it can; `room` checks space.
function findRamProblem(fs: string | null, room: boolean): string | null {
  if (fs === null) return `no RAM-backed filesystem is known on ${process.platform}`;
  if (!existsSync(fs)) return `${fs} does not exist`;
  if (!isOnRam(fs)) return `${fs} is not a RAM-backed filesystem (tmpfs or ramfs)`;
  if (!room) return null;
  const st = statfsSync(fs);
  const free = Math.min(st.bavail * st.bsize, readAvailableMemory());
  if (free < RAM_MIN_FREE_BYTES) {
    const mb = (n: number): string => `${Math.floor(n / 1048576)} MiB`;
    return `${fs} has ${mb(free)} free (space or memory), under the ${mb(RAM_MIN_FREE_BYTES)} kept in reserve`;
  }
  return null;
}

// Make the RAM root ours (or say why it cannot be): a dir another user planted there is never used.
function ensureRamRoot(root: string, stateRoot: string): string | null {
  try {
    const problem = ensurePrivateDir(root);
    if (problem) return `${root}: ${problem.replace(/; choose .*$/, '')}`;
    // Which state root this RAM root serves: gc of any root removes the spares of one whose state root is gone.
    if (!existsSync(join(root, STATE_ROOT_NOTE)))
      writeFileAtomic(join(root, STATE_ROOT_NOTE), `${resolveRealPath(stateRoot)}\n`);
    return null;
  } catch (cause) {
    return `${root} cannot be made: ${(cause as Error).message}`;
  }
}

/** Where the default data dir goes and why: a dir kept from an earlier run of this id stays where it is. */
export function chooseDataDir(
  choice: DataOnChoice,
  paths: InstancePaths,
  id: string,
  stateRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): PlacedDataDir {
  const fs = resolveRamFs(env);
  const ramRoot = resolveRamRoot(stateRoot, env);
  const ramDir = ramRoot === null ? null : join(ramRoot, id);
  const disk = (why: string): PlacedDataDir => ({
    dir: paths.defaultDataDir,
    on: isOnRam(paths.defaultDataDir) ? 'ram' : 'disk',
    why,
  });
  if (existsSync(paths.defaultDataDir)) return disk(`kept from an earlier run of ${id}`);
  if (ramDir !== null && existsSync(ramDir) && ensureRamRoot(ramRoot as string, stateRoot) === null)
    return { dir: ramDir, root: ramRoot as string, on: 'ram', why: `kept from an earlier run of ${id}` };
  const asked = choice.why ?? `${choice.from}=${choice.value}`;
  if (choice.value === 'disk') return disk(asked);
  if (isOnRam(stateRoot)) return disk(`the state root ${stateRoot} is RAM-backed`);
  const problem = findRamProblem(fs, choice.value === 'auto') ?? ensureRamRoot(ramRoot as string, stateRoot);
  if (choice.value === 'ram') {
    if (problem) throw new UsageError(nameChoiceOption(choice.from), 'ram', `${problem}; use disk or auto`);
    return { dir: ramDir as string, root: ramRoot as string, on: 'ram', why: asked };
  }
  if (problem) return disk(`${problem}; RAM is used only with room (--data-on ram forces it)`);
  return {
    dir: ramDir as string,
    root: ramRoot as string,
    on: 'ram',
    why: `${fs} is RAM-backed and has room`,
  };
}
