// jest example, several servers: a pg client on this test's own database, an ioredis client on a Redis URL (and this
// repo's CI report of which servers and databases they were).
const { basename } = require('node:path');
const { Redis } = require('ioredis');
const pg = require('pg');
const { reportRedis, reportServers, reportTest } = require('../report.cjs'); // this repo's CI only: drop it in your copy

// Connect to the current test's database (useDatabase() of quickdb-watcher/jest); the caller ends the client.
async function connect(db) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { testPath, currentTestName } = expect.getState(); // CI only, from here to the end
  reportServers();
  await reportTest(client, process.env.JEST_WORKER_ID, basename(testPath), currentTestName, db.server);
  return client;
}

// Connect to one of the extra servers (`db.server.also.NAME`), or a database on one; the caller disconnects it.
async function connectRedis(url, group, server) {
  const redis = new Redis(url);
  await reportRedis(redis, group, server, process.env.JEST_WORKER_ID, expect.getState().currentTestName); // CI only
  return redis;
}

module.exports = { connect, connectRedis };
