// vitest example, several servers: a pg client on this test's own database, an ioredis client on a Redis URL (and
// this repo's CI report of which servers and databases they were).
import { basename } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { reportRedis, reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

// Connect to the test's database; the caller ends the client.
export async function connect(db, task) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await reportTest(client, process.env.VITEST_POOL_ID, basename(task.file.name), task.name); // CI only
  return client;
}

// Connect to one of the extra servers (`server.also.NAME`), or a database on one; the caller disconnects it.
export async function connectRedis(url, group, server, task) {
  const redis = new Redis(url);
  await reportRedis(redis, group, server, process.env.VITEST_POOL_ID, task.name); // CI only
  return redis;
}
