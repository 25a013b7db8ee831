// `snapshots list|clear`: the cached snapshot data dirs that new database instances are cloned from.
import { clearSnapshots, listSnapshots, resolveSnapshotsDir } from '../../drivers/snapshots/cache.js';
import type { CliIO, CommandCall } from '../types.js';

function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

// Run `snapshots list` or `snapshots clear`.
export async function run(call: CommandCall, io: CliIO): Promise<number> {
  if (call.command !== 'snapshots') return 2;
  const dir = resolveSnapshotsDir();
  if (call.action === 'clear') {
    const { removed, kept } = clearSnapshots(dir);
    io.out(`removed ${removed.length} snapshot entr${removed.length === 1 ? 'y' : 'ies'} from ${dir}\n`);
    for (const k of kept) io.out(`kept ${k}: it is being built right now\n`);
    return 0;
  }
  const snapshots = listSnapshots(dir);
  if (call.json) {
    io.out(`${JSON.stringify(snapshots)}\n`);
    return 0;
  }
  if (snapshots.length === 0) {
    io.out(`no snapshots in ${dir}\n`);
    return 0;
  }
  io.out(`snapshots in ${dir}:\n`);
  for (const t of snapshots) {
    io.out(
      `  ${t.key.padEnd(44)} ${formatSize(t.bytes).padStart(9)}  built ${t.createdAt} in ${t.buildMs} ms\n`,
    );
  }
  return 0;
}
