// node:test example, several servers: a test's PostgreSQL database and its own database index on the shared `cache`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from 'quickdb-watcher/node-test';
import { connect, connectRedis } from './client.js';
import { servers } from './options.js';

const db = useDatabase(servers); // db.server.also holds the extra servers

// A database index of this test's own on the run's `cache` Redis (drop it after the test), and a client on it.
async function cacheFor(server, test) {
  const cacheDb = await server.also.cache.createDatabase();
  return { cacheDb, redis: await connectRedis(cacheDb.url, 'cache', server.also.cache, test) };
}

test('notes: a row in PostgreSQL, its cached copy in Redis, both this test’s alone', async (t) => {
  const client = await connect(db, 'notes.test.js', t.name);
  const { cacheDb, redis } = await cacheFor(db.server, t.name);
  try {
    assert.equal(await redis.dbsize(), 0); // a fresh index
    const { rows } = await client.query("INSERT INTO notes (body) VALUES ('first') RETURNING id, body");
    await redis.set(`note:${rows[0].id}`, rows[0].body);
    assert.equal(await redis.get('note:1'), 'first');
  } finally {
    redis.disconnect();
    await client.end();
    await cacheDb.drop();
  }
});

test('notes: another test, another database and another cache index', async (t) => {
  const client = await connect(db, 'notes.test.js', t.name);
  const { cacheDb, redis } = await cacheFor(db.server, t.name);
  const queue = await connectRedis(db.server.also.queue.url, 'queue', db.server.also.queue, t.name);
  try {
    assert.equal(await redis.get('note:1'), null);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM notes');
    assert.equal(rows[0].n, 0);
    await queue.rpush('jobs', 'reindex'); // this file's queue: only its own tests see it
  } finally {
    queue.disconnect();
    redis.disconnect();
    await client.end();
    await cacheDb.drop();
  }
});
