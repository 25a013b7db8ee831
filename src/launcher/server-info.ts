// The server an instance runs (engine, exact version, binary, where it was found), as `status` reads it back from
// spec.json: untrusted, so only the known fields of the expected types are kept.

/** `info.server` as the drivers report it; `dataDir` says how the data dir was made. */
export interface ServerInfo {
  engine: string;
  version: string;
  binary: string;
  source: string;
  flavor?: string;
  runAs?: string;
  dataDir?: { how: string; ms?: number; snapshot?: string };
}

const TEXT_FIELDS = ['engine', 'version', 'binary', 'source', 'flavor', 'runAs'] as const;
const REQUIRED = ['engine', 'version', 'binary', 'source'];
/** A path can be long; nothing here is longer. */
const MAX_TEXT = 4096;

// A short string, or undefined.
function readText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_TEXT ? value : undefined;
}

// How the data dir was made, or undefined when it is not of that shape.
function readOrigin(value: unknown): ServerInfo['dataDir'] {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return undefined;
  const how = readText(v.how);
  if (how === undefined) return undefined;
  const ms = typeof v.ms === 'number' && Number.isFinite(v.ms) ? v.ms : undefined;
  const snapshot = readText(v.snapshot);
  return { how, ...(ms !== undefined ? { ms } : {}), ...(snapshot !== undefined ? { snapshot } : {}) };
}

// The server info in a spec's `info.server`; null when absent or not of the expected shape.
export function readServerInfo(value: unknown): ServerInfo | null {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return null;
  const kept: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) {
    const text = readText(v[field]);
    if (text !== undefined) kept[field] = text;
  }
  if (!REQUIRED.every((f) => f in kept)) return null;
  const dataDir = readOrigin(v.dataDir);
  return { ...(kept as unknown as ServerInfo), ...(dataDir ? { dataDir } : {}) };
}

// One line on the server (`up`, `status`): engine, version, source and binary, and how the data dir was made, e.g.
// "mariadb 10.11.14 from mysql-bin: /usr/sbin/mariadbd; data dir cloned (mariadb-10.11.14-…)".
export function describeServer(
  server: Record<string, unknown> | ServerInfo | null | undefined,
): string | undefined {
  if (!server) return undefined;
  const data = server.dataDir as ServerInfo['dataDir'];
  const made = data?.how ? `; data dir ${data.how}${data.snapshot ? ` (${data.snapshot})` : ''}` : '';
  return `${server.engine} ${server.version} from ${server.source}: ${server.binary}${made}`;
}
