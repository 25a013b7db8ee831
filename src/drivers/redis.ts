// The `redis` driver: redis-server with no persistence, a unix socket in the instance dir, TCP only when asked
// (and then with a random `requirepass`, from a 0600 config file, that the socket needs too).
import { join } from 'node:path';
import { QuickdbError } from '../errors.js';
import { findExecutable, listPathDirs } from '../state/executables.js';
import { readVersionLine } from '../state/tool-version.js';
import { generatePassword, makeSocketDir, resolvePort, writePrivateFile } from './network.js';
import { buildRedisConfigLines, checkRedisArgs, checkRedisSettings } from './redis-settings.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from './types.js';

const SOCKET_NAME = 'redis.sock';

// redis-server from PATH (then the usual sbin dirs); says what to install when missing.
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string {
  const found = findExecutable(['redis-server'], [...listPathDirs(env), '/usr/sbin', '/usr/local/sbin']);
  if (found) return found;
  throw new QuickdbError('Redis was not found: no redis-server on PATH', {
    details: 'Install it: `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).',
  });
}

async function planRedis(ctx: DriverContext): Promise<DriverPlan> {
  const binary = findRedisServer();
  const version = /v=(\S+)/.exec(readVersionLine(binary))?.[1] ?? 'unknown';
  const port = await resolvePort(ctx.options.port);
  const socketDir = makeSocketDir(ctx.stateDir, SOCKET_NAME, null);
  const socket = join(socketDir, SOCKET_NAME);
  const password = port === undefined ? null : generatePassword();
  // redis-server takes a config file only as its first argument; the password never goes on the command line.
  const config = join(socketDir, 'redis.conf');
  const lines = [
    ...buildRedisConfigLines(ctx.options.settings),
    ...(password === null ? [] : [`requirepass ${password}`]),
  ];
  writePrivateFile(config, `${lines.join('\n')}\n`, null);
  // The user's arguments, then ours: a later directive wins, and the listener and its auth are ours alone.
  const argv = [
    binary,
    config,
    ...ctx.options.args,
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--dir',
    ctx.dataDir,
    '--port',
    String(port ?? 0),
    '--bind',
    '127.0.0.1',
    '--unixsocket',
    socket,
    '--unixsocketperm',
    '700',
    '--protected-mode',
    'yes',
  ];
  // Redis 6+ names the user (redis-cli 7.0 sends AUTH "" for an empty one); before 6 there are no users.
  const user = Number(version.split('.')[0]) >= 6 ? 'default' : '';
  const url = password === null ? `unix://${socket}` : `redis://${user}:${password}@127.0.0.1:${port}`;
  const env: Record<string, string> = { REDIS_URL: url, REDIS_SOCKET: socket };
  if (password !== null) {
    const tcp = { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), REDIS_PASSWORD: password };
    Object.assign(env, { ...tcp, REDISCLI_AUTH: password });
  }
  return {
    server: {
      argv,
      cwd: ctx.dataDir,
      env: { ...(process.env as Record<string, string>), ...ctx.options.env },
      stopSignal: 'SIGTERM',
      fastStopSignal: 'SIGKILL',
    },
    ready: { kind: 'log', pattern: '[Rr]eady to accept connections' },
    connection: { url, env },
    info: { server: { engine: 'redis', version, binary, source: 'PATH' } },
  };
}

export const redisDriver: Driver = {
  name: 'redis',
  validate(options: DriverOptions): void {
    checkRedisSettings(options.settings);
    checkRedisArgs(options.args);
    findRedisServer();
  },
  plan: planRedis,
};
