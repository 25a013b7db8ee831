// vitest example, several servers: `server.also.queue` is this worker's own Redis, so a test may flush all of it.

import { test } from 'quickdb-watcher/vitest';
import { expect } from 'vitest';
import { connect, connectRedis } from './client.js';

test('jobs: a job queued in this worker’s Redis, its row in PostgreSQL', async ({ db, server, task }) => {
  const client = await connect(db, task);
  const redis = await connectRedis(server.also.queue.url, 'queue', server.also.queue, task);
  try {
    await redis.flushall(); // no other worker uses this server
    await redis.rpush('jobs', 'send-mail', 'resize');
    await client.query("INSERT INTO notes (body) VALUES ('queued 2 jobs')");
    expect(await redis.llen('jobs')).toBe(2);
  } finally {
    redis.disconnect();
    await client.end();
  }
});

test('jobs: the env of an extra server names it, for clients that read REDIS_URL', async ({
  db,
  server,
  task,
}) => {
  const client = await connect(db, task);
  try {
    expect(server.also.queue.env.REDIS_URL).toBe(server.also.queue.url);
    expect(server.also.queue.url).not.toBe(server.also.cache.url);
  } finally {
    await client.end();
  }
});
