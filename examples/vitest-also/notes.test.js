// vitest example, several servers: a test's PostgreSQL database and its own database index on the shared `cache`.

import { test } from 'quickdb-watcher/vitest';
import { expect } from 'vitest';
import { connect, connectRedis } from './client.js';

// A database index of this test's own on the run's `cache` Redis (dropped after the test), and a client on it.
async function cacheFor(server, task) {
  const cacheDb = await server.also.cache.createDatabase();
  return { cacheDb, redis: await connectRedis(cacheDb.url, 'cache', server.also.cache, task) };
}

test('notes: a row in PostgreSQL, its cached copy in Redis, both this test’s alone', async ({
  db,
  server,
  task,
}) => {
  const client = await connect(db, task);
  const { cacheDb, redis } = await cacheFor(server, task);
  try {
    expect(await redis.dbsize()).toBe(0); // a fresh index
    const { rows } = await client.query("INSERT INTO notes (body) VALUES ('first') RETURNING id, body");
    await redis.set(`note:${rows[0].id}`, rows[0].body);
    expect(await redis.get('note:1')).toBe('first');
  } finally {
    redis.disconnect();
    await client.end();
    await cacheDb.drop();
  }
});

test('notes: another test, another database and another cache index', async ({ db, server, task }) => {
  const client = await connect(db, task);
  const { cacheDb, redis } = await cacheFor(server, task);
  const queue = await connectRedis(server.also.queue.url, 'queue', server.also.queue, task);
  try {
    expect(await redis.get('note:1')).toBeNull();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(rows[0].n).toBe(0);
    await queue.rpush('jobs', 'reindex'); // this worker's queue: only its own tests see it
  } finally {
    queue.disconnect();
    redis.disconnect();
    await client.end();
    await cacheDb.drop();
  }
});
