// `snapshots list|clear [KEY]`: the cached snapshot data dirs that new database instances are cloned from.
import { UsageError } from '../../errors.js';
import type { SnapshotClearing, SnapshotList } from '../../index.js';
import { type CliIO, defineCommand } from '../command.js';
import { escapeControls } from '../table.js';

export interface SnapshotsCall {
  command: 'snapshots';
  action: 'list' | 'clear';
  /** `clear KEY`: only this snapshot (a key `snapshots list` shows). */
  key?: string;
  json: boolean;
}

function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

/** One cached snapshot, as `snapshots list` shows it. */
type SnapshotEntry = SnapshotList['snapshots'][number];

// Clear the snapshots (or only KEY's); a KEY that names none is refused by its CLI name.
function clearKey(clear: (options: { key?: string }) => SnapshotClearing, key: string | undefined) {
  try {
    return clear(key === undefined ? {} : { key });
  } catch (error) {
    throw error instanceof UsageError && error.option === 'key' ? error.renamed(() => 'KEY') : error;
  }
}

// A migrated snapshot (a plain one with migrations run) records the snapshot it came from.
function isMigrated(t: SnapshotEntry): boolean {
  return typeof t.base === 'string';
}

// One snapshot's line: key, size, when and how long it took to build.
function formatLine(t: SnapshotEntry): string {
  const key = escapeControls(String(t.key));
  return `  ${key.padEnd(44)} ${formatSize(t.bytes).padStart(9)}  built ${t.createdAt} in ${t.buildMs} ms\n`;
}

// Run `snapshots list` or `snapshots clear [KEY]`.
async function runSnapshots(call: SnapshotsCall, io: CliIO): Promise<number> {
  const { clearSnapshots, listSnapshots } = await import('../../api/snapshots.js');
  if (call.action === 'clear') {
    const { dir, removed, kept, left } = clearKey(clearSnapshots, call.key);
    io.out(`removed ${removed.length} snapshot entr${removed.length === 1 ? 'y' : 'ies'} from ${dir}\n`);
    for (const k of kept) io.out(`kept ${escapeControls(k)}: it is being built right now\n`);
    for (const k of left)
      io.out(`left ${escapeControls(k)}: not a snapshot dir of ours; remove it yourself if it is\n`);
    return 0;
  }
  const { dir, snapshots } = listSnapshots();
  if (call.json) {
    const kinds = snapshots.map((t) => ({ ...t, kind: isMigrated(t) ? 'migrated' : 'plain' }));
    io.out(`${JSON.stringify(kinds)}\n`);
    return 0;
  }
  if (snapshots.length === 0) {
    io.out(`no snapshots in ${dir}\n`);
    return 0;
  }
  io.out(`snapshots in ${dir}:\n`);
  const plain = snapshots.filter((t) => !isMigrated(t));
  const migrated = snapshots.filter(isMigrated);
  for (const t of plain) io.out(formatLine(t));
  if (migrated.length > 0) io.out("migrated (a plain snapshot with a project's migrations run once):\n");
  for (const t of migrated) {
    io.out(formatLine(t));
    const m = t.migration;
    io.out(`      ${escapeControls(`ran ${m?.what ?? '?'} for ${m?.project ?? '?'}; from ${t.base}`)}\n`);
  }
  return 0;
}

/** `snapshots list|clear`. */
export const snapshots = defineCommand({
  command: 'snapshots <action> [key]',
  describe: 'list or remove the cached snapshot data dirs that new instances are cloned from',
  builder: (y) =>
    y
      .positional('action', { choices: ['list', 'clear'] as const, demandOption: true })
      .positional('key', {
        type: 'string',
        describe: 'clear: only this snapshot (a key `snapshots list` shows)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'list as JSON' })
      .example('$0 snapshots list', 'the cached snapshots, their engine, version and size')
      .example('$0 snapshots clear', 'remove them; the next start builds a fresh one')
      .example('$0 snapshots clear redis-7.0.15-1a2b3c4d5e6f', 'remove only that one'),
  toCall: (a): SnapshotsCall => {
    if (a.key !== undefined && a.action !== 'clear')
      throw new UsageError('KEY', a.key, 'only snapshots clear takes a KEY');
    const key = a.key === undefined ? {} : { key: String(a.key) };
    return { command: 'snapshots', action: a.action, ...key, json: Boolean(a.json) };
  },
  handler: runSnapshots,
});
