// What run-tests.mjs says about a sandbox it keeps for inspection: where it is, how big, and how to remove it.
import { spawnSync } from 'node:child_process';

// A byte count for people: "1.9 GB", "340 MB", "12 kB".
function formatSize(bytes) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${unit === 0 ? size : size.toFixed(size < 10 ? 1 : 0)} ${units[unit]}`;
}

// The bytes `du` counts under the dirs (it stays on their filesystems); null when du cannot say.
function measureDirs(dirs) {
  const du = spawnSync('du', ['-s', '-B1', '-x', '-c', ...dirs], { encoding: 'utf8' });
  const total = /^(\d+)\s+total$/m.exec(du.stdout ?? '');
  return total ? Number(total[1]) : null;
}

// A path as one shell word.
function quote(path) {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** The lines that name a kept sandbox: its dirs, their size, and the commands that remove it (umount first for a
 *  tmpfs the run mounted). */
export function describeKeptSandbox(dirs, mounted = []) {
  const bytes = measureDirs(dirs);
  const size = bytes === null ? 'size unknown' : formatSize(bytes);
  const commands = [...mounted.map((m) => `umount ${quote(m)}`), `rm -rf ${dirs.map(quote).join(' ')}`];
  return [
    `sandbox kept for inspection (${size}): ${dirs.join(' and ')}`,
    `  remove it with: ${commands.join(' && ')}`,
  ].join('\n');
}
