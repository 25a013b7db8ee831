// `snapshots list|clear`: the cached snapshot data dirs that new database instances are cloned from.
import type { SnapshotEntry } from '../../drivers/snapshots/cache.js';
import { type CliIO, defineCommand } from '../command.js';
import { escapeControls } from '../table.js';

export interface SnapshotsCall {
  command: 'snapshots';
  action: 'list' | 'clear';
  json: boolean;
}

function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
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

// Run `snapshots list` or `snapshots clear`.
async function runSnapshots(call: SnapshotsCall, io: CliIO): Promise<number> {
  const { clearSnapshots, listSnapshots, resolveSnapshotsDir } = await import(
    '../../drivers/snapshots/cache.js'
  );
  const dir = resolveSnapshotsDir();
  if (call.action === 'clear') {
    const { removed, kept, left } = clearSnapshots(dir);
    io.out(`removed ${removed.length} snapshot entr${removed.length === 1 ? 'y' : 'ies'} from ${dir}\n`);
    for (const k of kept) io.out(`kept ${escapeControls(k)}: it is being built right now\n`);
    for (const k of left)
      io.out(`left ${escapeControls(k)}: not a snapshot dir of ours; remove it yourself if it is\n`);
    return 0;
  }
  const snapshots = listSnapshots(dir);
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
  command: 'snapshots <action>',
  describe: 'list or remove the cached snapshot data dirs that new instances are cloned from',
  builder: (y) =>
    y
      .positional('action', { choices: ['list', 'clear'] as const, demandOption: true })
      .option('json', { type: 'boolean', default: false, describe: 'list as JSON' })
      .example('$0 snapshots list', 'the cached snapshots, their engine, version and size')
      .example('$0 snapshots clear', 'remove them; the next start builds a fresh one'),
  toCall: (a): SnapshotsCall => ({ command: 'snapshots', action: a.action, json: Boolean(a.json) }),
  handler: runSnapshots,
});
