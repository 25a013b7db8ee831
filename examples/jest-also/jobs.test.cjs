// jest example, several servers: `also.queue` is this worker's own Redis, so a test may flush all of it.
const { useDatabase } = require('quickdb-watcher/jest');
const { connect, connectRedis } = require('./client.cjs');

const db = useDatabase();

test('jobs: a job queued in this worker’s Redis, its row in PostgreSQL', async () => {
  const client = await connect(db);
  const { queue } = db.server.also;
  const redis = await connectRedis(queue.url, 'queue', queue);
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

test('jobs: the env of an extra server names it, for clients that read REDIS_URL', async () => {
  const client = await connect(db);
  try {
    expect(db.server.also.queue.env.REDIS_URL).toBe(db.server.also.queue.url);
    expect(db.server.also.queue.url).not.toBe(db.server.also.cache.url);
  } finally {
    await client.end();
  }
});
