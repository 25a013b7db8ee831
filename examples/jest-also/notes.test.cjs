// jest example, several servers: a test's PostgreSQL database and its own database index on the shared `cache`.
const { useDatabase } = require('quickdb-watcher/jest');
const { connect, connectRedis } = require('./client.cjs');

const db = useDatabase(); // a fresh database before each test, dropped after it; db.server.also holds the extras

// A database index of this test's own on the run's `cache` Redis (drop it after the test), and a client on it.
async function cacheFor(server) {
  const cacheDb = await server.also.cache.createDatabase();
  return { cacheDb, redis: await connectRedis(cacheDb.url, 'cache', server.also.cache) };
}

test('notes: a row in PostgreSQL, its cached copy in Redis, both this test’s alone', async () => {
  const client = await connect(db);
  const { cacheDb, redis } = await cacheFor(db.server);
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

test('notes: another test, another database and another cache index', async () => {
  const client = await connect(db);
  const { cacheDb, redis } = await cacheFor(db.server);
  const queue = await connectRedis(db.server.also.queue.url, 'queue', db.server.also.queue);
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
