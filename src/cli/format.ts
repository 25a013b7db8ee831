// How `up` prints an instance: a short human summary, the stable JSON object, `export` lines, or GITHUB_ENV lines.
import { randomBytes } from 'node:crypto';
import { describeServer, nameServer, shellQuote } from '../api/show.js';
import type { InstanceInfo } from '../index.js';
import { readInvokedAs } from './invoked-as.js';
import { escapeControls } from './table.js';

// The environment a client of the instance uses (the driver's variables plus QUICKDB_ID). DATABASE_URL only where
// the driver sets it (the SQL engines): a Redis instance has REDIS_URL and leaves a shell's DATABASE_URL alone.
export function instanceEnv(info: Pick<InstanceInfo, 'id' | 'env'>): Record<string, string> {
  return { ...info.env, QUICKDB_ID: info.id };
}

// `export K='v'` lines a shell can eval (`up --format env`, `db create --format env`).
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
    .join('');
}

// Lines for GitHub Actions' `$GITHUB_ENV` file (`up --format github-env >> "$GITHUB_ENV"`): `NAME=value`, and a
// value holding a line break as `NAME<<DELIMITER` … `DELIMITER`, with a delimiter the value does not contain.
export function formatGithubEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!/[\r\n]/.test(v)) return `${k}=${v}\n`;
      let delimiter = `QUICKDB_EOF_${randomBytes(8).toString('hex')}`;
      while (v.includes(delimiter)) delimiter = `QUICKDB_EOF_${randomBytes(8).toString('hex')}`;
      return `${k}<<${delimiter}\n${v}\n${delimiter}\n`;
    })
    .join('');
}

// An env in the shell form a `--format` asked for: `export` lines (env) or GITHUB_ENV lines (github-env).
export function formatEnvAs(env: Record<string, string>, format: 'env' | 'github-env'): string {
  return format === 'github-env' ? formatGithubEnv(env) : formatExports(env);
}

// The data dir with where it lives and why, e.g. "/dev/shm/… (RAM: /dev/shm is RAM-backed and has room)".
function describeDataDir(dir: string, dataOn: { on: string; why: string } | undefined): string {
  return dataOn ? `${dir} (${dataOn.on === 'ram' ? 'RAM' : 'disk'}: ${dataOn.why})` : dir;
}

// Render an instance for `up --format`.
export function formatInstance(
  info: InstanceInfo,
  format: 'text' | 'json' | 'env' | 'github-env',
  backendReason = '',
): string {
  if (format === 'json') return `${JSON.stringify(info)}\n`;
  if (format === 'env' || format === 'github-env') return formatEnvAs(instanceEnv(info), format);
  const rows: [string, string | number | null | undefined][] = [
    ['driver', info.driver],
    ['backend', backendReason ? `${info.backend} (${backendReason})` : info.backend],
    ['unit', info.unit],
    ['watcher pid', info.watcherPid],
    ['server pid', info.serverPid],
    ['data dir', describeDataDir(info.dataDir, info.dataOn)],
    ['state dir', info.stateDir],
    ['url', info.url],
    ['server', info.server ? escapeControls(describeServer(info.server)) : undefined],
  ];
  const lines = rows
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `  ${k.padEnd(12)}${v}`);
  const what = info.server ? ` (${escapeControls(nameServer(info.server))})` : '';
  return [
    `quickdb-watcher: ${info.id} is ready${what}`,
    ...lines,
    `  stop it:    ${readInvokedAs()} stop ${info.id}`,
    '',
  ].join('\n');
}
