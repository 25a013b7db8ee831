// The `redis` driver: redis-server with no persistence, a unix socket in the instance dir, TCP only when asked
// (and then with a random `requirepass`, from a 0600 config file, that the socket needs too).
import { join } from 'node:path';
import { refuseAccess, resolveAccount } from '../access.js';
import { makeSocketDir, resolvePort, writePrivateFile } from '../network.js';
import { makeTlsFiles, type TlsFiles } from '../tls.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from '../types.js';
import { findRedisServer } from './binaries.js';
import { buildRedisConnection, quoteRedisArgument } from './connection.js';
import { buildRedisConfigLines, checkRedisArgs, checkRedisSettings } from './settings.js';

const SOCKET_NAME = 'redis.sock';
/** Why Redis takes no user or database option. */
const USER_AND_DATABASE =
  "takes no user or database here: its user is 'default' with the instance's password, and per-test databases are numbered (createDatabase, db create)";

// The loopback port: plain, or TLS only (clients need no certificate of their own).
function buildRedisPorts(port: number, tls: TlsFiles | null): string[] {
  if (!tls) return ['--port', String(port)];
  const files = ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert];
  return ['--port', '0', '--tls-port', String(port), ...files, '--tls-auth-clients', 'no'];
}

async function planRedis(ctx: DriverContext): Promise<DriverPlan> {
  const { binary, source, version } = findRedisServer(ctx.options.redisBin);
  const port = (await resolvePort(ctx.options.port ?? 0)) as number;
  const socketDir = makeSocketDir(ctx.stateDir, SOCKET_NAME, null);
  const socket = join(socketDir, SOCKET_NAME);
  const { password } = resolveAccount(ctx.options.access, { user: 'default', database: null });
  // redis-server takes a config file only as its first argument; the password never goes on the command line.
  const config = join(socketDir, 'redis.conf');
  const lines = buildRedisConfigLines(ctx.options.settings);
  if (password !== null) lines.push(`requirepass ${quoteRedisArgument(password)}`);
  writePrivateFile(config, `${lines.join('\n')}\n`, null);
  const tls = ctx.options.tls ? await makeTlsFiles(ctx.stateDir, null) : null;
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
    ...buildRedisPorts(port, tls),
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
  return {
    server: {
      argv,
      cwd: ctx.dataDir,
      env: { ...(process.env as Record<string, string>), ...ctx.options.env },
      stopSignal: 'SIGTERM',
      fastStopSignal: 'SIGKILL',
    },
    ready: { kind: 'log', pattern: '[Rr]eady to accept connections' },
    connection: buildRedisConnection({ socket, port, user, password, tls: tls?.cert ?? null }),
    info: { server: { engine: 'redis', version, binary, source } },
  };
}

export const redisDriver: Driver = {
  name: 'redis',
  validate(options: DriverOptions): void {
    refuseAccess('Redis', options.access, ['user', 'database'], USER_AND_DATABASE);
    checkRedisSettings(options.settings);
    checkRedisArgs(options.args);
    findRedisServer(options.redisBin);
  },
  plan: planRedis,
};
