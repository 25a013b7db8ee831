// Redis under the watcher: a real redis-server and the ioredis client, through every way an instance ends.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { InstanceInfo } from '../../dist/index.js';
import { spawnParent } from '../helpers/instance.js';
import {
  checkShownServer,
  dbOptions,
  readShownServer,
  requireEngine,
  runCli,
  startCli,
  startLib,
  takeFootprint,
  waitFootprintGone,
} from './db.js';

// Connect over TCP with the password, write a key and read it back; returns the version the server reports (INFO
// server: redis_version).
async function writeAndRead(info: InstanceInfo, value: string): Promise<string> {
  const password = info.env.REDIS_PASSWORD;
  const redis = new Redis({
    host: '127.0.0.1',
    port: Number(info.env.REDIS_PORT),
    password,
    lazyConnect: true,
  });
  await redis.connect();
  try {
    await redis.set('k', value);
    assert.equal(await redis.get('k'), value);
    return /^redis_version:(\S+)$/m.exec(await redis.info('server'))?.[1] as string;
  } finally {
    redis.disconnect();
  }
}

test('library: redis on a private socket and a loopback port with a password; stop removes the server, dir and socket', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const instance = await startLib(t, 'redis');
  const socket = instance.env.REDIS_SOCKET as string;
  assert.ok(socket.startsWith(instance.info.stateDir) && existsSync(socket));
  assert.match(instance.url as string, /^redis:\/\/default:[\w-]{32}@127\.0\.0\.1:\d+$/);
  await writeAndRead(instance.info, 'hello');
  const fp = takeFootprint(instance.info, socket);
  await instance.stop();
  await waitFootprintGone(fp);
});

test('library: stop with keep keeps the dir; nothing runs', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const instance = await startLib(t, 'redis');
  await writeAndRead(instance.info, 'kept');
  const fp = takeFootprint(instance.info);
  await instance.stop({ keep: true });
  await waitFootprintGone(fp, true);
});

test('CLI: up redis --port 0 serves TCP; quiet keeps it serving; kill removes everything', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const info = await startCli(t, 'redis', ['--port', '0']);
  assert.match(info.url as string, /^redis:\/\/(default)?:[A-Za-z0-9_-]{32}@127\.0\.0\.1:\d+$/);
  assert.equal((await runCli(['quiet', info.id])).code, 0);
  assert.equal(info.server?.version, await writeAndRead(info, 'tcp'), 'up --format json: server.version');
  const fp = takeFootprint(info, info.env.REDIS_SOCKET);
  const killed = await runCli(['kill', info.id]);
  assert.equal(killed.code, 0, killed.stderr);
  await waitFootprintGone(fp);
});

test('CLI: up, status and list (text and --json) name "redis" and the version the server reports', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const shown = await readShownServer(t, 'redis', ['--port', '0']);
  const redis = new Redis(shown.url);
  try {
    const says = /^redis_version:(\S+)$/m.exec(await redis.info('server'))?.[1];
    checkShownServer(shown.shown, `redis ${says}`);
  } finally {
    redis.disconnect();
  }
});

test('parent SIGKILL: the watcher stops redis-server', async (t) => {
  if (!requireEngine(t, 'redis')) return;
  const { child, info } = await spawnParent(t, dbOptions('redis'));
  await writeAndRead(info, 'orphan');
  const fp = takeFootprint(info, info.env.REDIS_SOCKET);
  child.kill('SIGKILL');
  await waitFootprintGone(fp);
});

test('without redis-server the error says what to install', async () => {
  const result = await runCli(['up', 'redis', '--parent', 'none'], { PATH: '/nonexistent' });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Redis was not found/);
  assert.match(result.stderr, /apt-get install redis-server/);
});
