// node:test example, several servers: a pg client on this test's own database, an ioredis client on a Redis URL (and
// this repo's CI report of which servers and databases they were).
import { Redis } from 'ioredis';
import pg from 'pg';
import { reportRedis, reportServers, reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

let reported = false;

// Connect to the test's database; the caller ends the client.
export async function connect(db, file, test) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  if (!reported) {
    // CI only: the run's servers, and this file's own `queue`
    reportServers([db.server.id], process.pid);
    for (const [group, server] of Object.entries(db.server.also))
      reportServers([server.id], process.pid, group);
  }
  reported = true;
  await reportTest(client, process.pid, file, test, db.server); // CI only
  return client;
}

// Connect to one of the extra servers (`db.server.also.NAME`), or a database on one; the caller disconnects it.
export async function connectRedis(url, group, server, test) {
  const redis = new Redis(url);
  await reportRedis(redis, group, server, process.pid, test); // CI only
  return redis;
}
