// jest recipe: connect to this worker's own server (JEST_WORKER_ID runs from 1 to maxWorkers).
const { basename } = require('node:path');
const pg = require('pg');
const { reportTest } = require('../report.cjs'); // this repo's CI only: drop it in your copy

const worker = Number(process.env.JEST_WORKER_ID);

// A client for the server of the worker running this test file; files on the same worker share it, one at a time.
async function connect(file) {
  const client = new pg.Client({ connectionString: process.env[`DATABASE_URL_${worker}`] });
  await client.connect();
  await reportTest(client, worker, basename(file));
  return client;
}

module.exports = { connect, worker };
