// Reading spec.json back as untrusted input: every field checked, naming the one that is wrong.
import { isAbsolute } from 'node:path';
import { OWNED_PATH } from '../files/owned-file.js';
import { parseSignal, type SignalName } from '../process/signals.js';
import { isValidPort, PORT_RANGE_TEXT } from './port.js';
import {
  ID_PATTERN,
  type ParentSpec,
  POLL_RANGE,
  type ReadySpec,
  type ServerSpec,
  type Spec,
  SpecError,
} from './spec.js';

type Obj = Record<string, unknown>;

function expectString(o: Obj, key: string, path = key): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '')
    throw new SpecError(path, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function expectAbsolute(o: Obj, key: string, path = key): string {
  const v = expectString(o, key, path);
  if (!isAbsolute(v)) throw new SpecError(path, `expected an absolute path, got ${JSON.stringify(v)}`);
  return v;
}

function expectMs(o: Obj, key: string, max = 86_400_000): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new SpecError(key, `expected whole milliseconds from 0 to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function expectSignal(o: Obj, key: string, path: string): SignalName {
  const sig = parseSignal(o[key]);
  if (!sig)
    throw new SpecError(path, `expected a signal name such as SIGTERM, got ${JSON.stringify(o[key])}`);
  return sig;
}

function expectObject(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SpecError(path, 'expected an object');
  return v as Obj;
}

function validateServer(v: unknown): ServerSpec {
  const o = expectObject(v, 'server');
  const argv = o.argv;
  if (
    !Array.isArray(argv) ||
    argv.length === 0 ||
    !argv.every((a) => typeof a === 'string') ||
    argv[0] === ''
  ) {
    throw new SpecError('server.argv', 'expected a non-empty list of strings (the server command)');
  }
  const env = expectObject(o.env ?? {}, 'server.env');
  for (const [k, val] of Object.entries(env)) {
    if (typeof val !== 'string') throw new SpecError(`server.env.${k}`, 'expected a string');
  }
  const ids: Partial<Pick<ServerSpec, 'uid' | 'gid'>> = {};
  for (const key of ['uid', 'gid'] as const) {
    const n = o[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new SpecError(`server.${key}`, 'expected a whole number');
    ids[key] = n;
  }
  if (o.shmRecord !== undefined && (typeof o.shmRecord !== 'string' || !OWNED_PATH.test(o.shmRecord)))
    throw new SpecError(
      'server.shmRecord',
      `expected a plain path inside the data dir, got ${JSON.stringify(o.shmRecord)}`,
    );
  return {
    argv: argv as string[],
    cwd: expectAbsolute(o, 'cwd', 'server.cwd'),
    env: env as Record<string, string>,
    ...ids,
    stopSignal: expectSignal(o, 'stopSignal', 'server.stopSignal'),
    fastStopSignal: expectSignal(o, 'fastStopSignal', 'server.fastStopSignal'),
    ...(o.shmRecord === undefined ? {} : { shmRecord: o.shmRecord }),
  };
}

function validateReady(v: unknown): ReadySpec {
  const o = expectObject(v, 'ready');
  switch (o.kind) {
    case 'none':
      return { kind: 'none' };
    case 'file':
      return { kind: 'file', path: expectAbsolute(o, 'path', 'ready.path') };
    case 'port': {
      const port = o.port;
      if (!isValidPort(port))
        throw new SpecError('ready.port', `${PORT_RANGE_TEXT}, got ${JSON.stringify(port)}`);
      return { kind: 'port', host: typeof o.host === 'string' ? o.host : '127.0.0.1', port };
    }
    case 'log': {
      const pattern = expectString(o, 'pattern', 'ready.pattern');
      try {
        new RegExp(pattern);
      } catch (cause) {
        throw new SpecError('ready.pattern', `not a valid regular expression: ${(cause as Error).message}`);
      }
      return { kind: 'log', pattern };
    }
    default:
      throw new SpecError('ready.kind', `expected none, file, port or log, got ${JSON.stringify(o.kind)}`);
  }
}

function validateLauncher(v: unknown): Spec['launcher'] {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, 'launcher');
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid < 1) {
    throw new SpecError('launcher.pid', `expected a pid, got ${JSON.stringify(o.pid)}`);
  }
  return { pid: o.pid, startTime: typeof o.startTime === 'string' ? o.startTime : null };
}

function validateParent(v: unknown): ParentSpec | null {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, 'parent');
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid < 1) {
    throw new SpecError('parent.pid', `expected a pid, got ${JSON.stringify(o.pid)}`);
  }
  const startTime = typeof o.startTime === 'string' ? o.startTime : null;
  const heir = validateHeir(o.heir);
  return { pid: o.pid, startTime, lifeline: o.lifeline === true, ...(heir ? { heir } : {}) };
}

function validateHeir(v: unknown): ParentSpec['heir'] | null {
  if (v === null || v === undefined) return null;
  const o = expectObject(v, 'parent.heir');
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid < 2)
    throw new SpecError('parent.heir.pid', `expected a pid above 1, got ${JSON.stringify(o.pid)}`);
  return { pid: o.pid, startTime: typeof o.startTime === 'string' ? o.startTime : null };
}

// Check a parsed spec.json and return it typed; throws SpecError naming the field.
export function validateSpec(raw: unknown): Spec {
  const o = expectObject(raw, '(root)');
  if (o.version !== 1) throw new SpecError('version', `expected 1, got ${JSON.stringify(o.version)}`);
  const id = expectString(o, 'id');
  if (!ID_PATTERN.test(id))
    throw new SpecError('id', `expected letters, digits, "_", "." or "-", got ${JSON.stringify(id)}`);
  if (typeof o.cleanup !== 'boolean') throw new SpecError('cleanup', 'expected true or false');
  return {
    version: 1,
    id,
    driver: expectString(o, 'driver'),
    backend: expectString(o, 'backend'),
    stateRoot: expectAbsolute(o, 'stateRoot'),
    stateDir: expectAbsolute(o, 'stateDir'),
    dataDir: expectAbsolute(o, 'dataDir'),
    dataDirReal: expectAbsolute(o, 'dataDirReal'),
    cleanup: o.cleanup,
    server: validateServer(o.server),
    ready: validateReady(o.ready),
    readyTimeoutMs: expectMs(o, 'readyTimeoutMs'),
    stopGraceMs: expectMs(o, 'stopGraceMs'),
    fastGraceMs: expectMs(o, 'fastGraceMs'),
    pollMs: Math.max(POLL_RANGE.min, expectMs(o, 'pollMs', POLL_RANGE.max)),
    parent: validateParent(o.parent),
    launcher: validateLauncher(o.launcher),
    ...(o.info && typeof o.info === 'object' ? { info: o.info as Record<string, unknown> } : {}),
  };
}
