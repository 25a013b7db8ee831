// node:test example, several servers: `also.queue` is this file's own Redis, so a test may flush all of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDatabase } from 'quickdb-watcher/node-test';
import { connect, connectRedis } from './client.js';
import { servers } from './options.js';

const db = useDatabase(servers);

test('jobs: a job queued in this file’s Redis, its row in PostgreSQL', async (t) => {
  const client = await connect(db, 'jobs.test.js', t.name);
  const { queue } = db.server.also;
  const redis = await connectRedis(queue.url, 'queue', queue, t.name);
  try {
    await redis.flushall(); // no other file uses this server
    await redis.rpush('jobs', 'send-mail', 'resize');
    await client.query("INSERT INTO notes (body) VALUES ('queued 2 jobs')");
    assert.equal(await redis.llen('jobs'), 2);
  } finally {
    redis.disconnect();
    await client.end();
  }
});

test('jobs: the env of an extra server names it, for clients that read REDIS_URL', async (t) => {
  const client = await connect(db, 'jobs.test.js', t.name);
  try {
    assert.equal(db.server.also.queue.env.REDIS_URL, db.server.also.queue.url);
    assert.notEqual(db.server.also.queue.url, db.server.also.cache.url);
  } finally {
    await client.end();
  }
});
