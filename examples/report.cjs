// This repo's CI hook for the recipes (test/recipes): a no-op unless QDW_RECIPE_REPORT is set. Leave it out of your copy.
const { appendFileSync, existsSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');

function append(entry) {
  const file = process.env.QDW_RECIPE_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
}

// Record a server a setup file started: its pids and dirs, so CI can check they are all gone afterwards.
function reportServer(server, worker) {
  const { id, watcherPid, serverPid, dataDir, stateDir } = server.info;
  append({ kind: 'server', worker: String(worker), id, watcherPid, serverPid, dataDir, stateDir });
}

// Record which server a test file talked to. While QDW_RECIPE_HOLD names a file that exists, hold the test
// there, until the test runner that started this process is gone (the CI kills it mid-run).
async function reportTest(client, worker, file) {
  if (!process.env.QDW_RECIPE_REPORT) return;
  const { rows } = await client.query('SHOW data_directory');
  append({ kind: 'test', worker: String(worker), file, dataDirectory: rows[0].data_directory });
  const parent = process.ppid;
  while (process.env.QDW_RECIPE_HOLD && existsSync(process.env.QDW_RECIPE_HOLD) && process.ppid === parent) {
    await sleep(20);
  }
}

module.exports = { reportServer, reportTest };
