// Instance listings for people: an aligned table and a key/value block.

import { describeServer, formatContainment } from '../api/show.js';
import type { InstanceView } from '../index.js';

// "3s", "4m", "2h", "5d" for an age in milliseconds.
function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

function pid(p: number | null, alive: boolean): string {
  return p === null ? '-' : `${p}${alive ? '' : ' (gone)'}`;
}

function parent(v: InstanceView): string {
  if (v.parentAlive === null) return 'none';
  return `${v.parentPid} ${v.parentAlive ? 'alive' : 'gone'}`;
}

// Control characters (a newline, an escape sequence) in a path or a record's text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is escaped
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

// A cell as the terminal may show it: control characters written as \xNN, never passed through.
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// One row per instance, columns aligned.
export function formatTable(views: InstanceView[]): string {
  if (views.length === 0) return 'no instances\n';
  const head = ['ID', 'DRIVER', 'BACKEND', 'PHASE', 'WATCHER', 'SERVER', 'PARENT', 'AGE', 'DATA DIR'];
  const rows = views.map((v) =>
    [
      v.id,
      v.server ? `${v.driver} ${v.server.version}` : v.driver,
      v.backend,
      v.phase,
      pid(v.watcherPid, v.watcherAlive),
      pid(v.serverPid, v.serverAlive),
      parent(v),
      formatAge(v.ageMs),
      v.dataDir ?? '-',
    ].map(escapeControls),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

// A key/value block for one instance (status ID): its url as `up` printed it, or why it is not shown.
export function formatDetails(
  v: InstanceView,
  unit: string | null,
  shown: { url: string | null; connectionProblem: string | null },
): string {
  const rows: [string, string][] = [
    ['id', v.id],
    ['driver', v.driver],
    ['server', v.server ? describeServer(v.server) : '-'],
    ['backend', v.backend],
    ['unit', unit ?? '-'],
    ['phase', v.phase],
    ['watcher pid', pid(v.watcherPid, v.watcherAlive)],
    ['server pid', pid(v.serverPid, v.serverAlive)],
    ['parent', parent(v)],
    ['age', formatAge(v.ageMs)],
    ['data dir', `${v.dataDir ?? '-'}${v.status ? ` (${v.status.dataDir.state})` : ''}`],
    ['data on', v.dataOn ? `${v.dataOn.on === 'ram' ? 'RAM' : 'disk'}: ${v.dataOn.why}` : '-'],
    ['state dir', v.stateDir],
    ['url', shown.url ?? (shown.connectionProblem ? `- (${shown.connectionProblem})` : '-')],
    ['containment', formatContainment(v.containment)],
    ['quiet', String(v.status?.quiet ?? false)],
    ['error', v.error ?? '-'],
  ];
  return rows.map(([k, val]) => `${k.padEnd(12)}${escapeControls(val)}\n`).join('');
}
