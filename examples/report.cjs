// This repo's CI hook for the recipes (test/recipes): a no-op unless QDW_RECIPE_REPORT is set. Leave it out of your copy.
const { appendFileSync, existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
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

// Record the servers an integration started, read back from their state dirs by id (default: the ids the runner's
// main process handed its workers in QUICKDB_WATCHER_SERVERS, its extra servers of `also` too, each by group name).
function reportServers(ids, worker = 'main', group = 'main') {
  if (!process.env.QDW_RECIPE_REPORT) return;
  const handoff = JSON.parse(process.env.QUICKDB_WATCHER_SERVERS ?? '{}');
  const groups = ids ? [[group, { stateRoot: handoff.stateRoot, ids }]] : [['main', handoff]];
  if (!ids) groups.push(...Object.entries(handoff.also ?? {}));
  for (const [name, { stateRoot, ids: groupIds }] of groups) {
    const root = stateRoot ?? process.env.QUICKDB_WATCHER_STATE;
    for (const id of groupIds) {
      const stateDir = join(root, id);
      const spec = JSON.parse(readFileSync(join(stateDir, 'spec.json'), 'utf8'));
      const status = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
      const { watcherPid, serverPid } = status;
      append({
        kind: 'server',
        group: name,
        worker: String(worker),
        id,
        watcherPid,
        serverPid,
        dataDir: spec.dataDir,
        stateDir,
      });
    }
  }
}

// While QDW_RECIPE_HOLD names a file that exists, hold the test here, until the test runner that started this
// process is gone (the CI kills it mid-run).
async function hold() {
  const parent = process.ppid;
  while (process.env.QDW_RECIPE_HOLD && existsSync(process.env.QDW_RECIPE_HOLD) && process.ppid === parent) {
    await sleep(20);
  }
}

// Record which Redis server (by its pid) and database index a test talked to, as which group and instance id, and
// the version the test was handed (`server.version`) beside the one the server reports.
async function reportRedis(redis, group, server, worker, test) {
  if (!process.env.QDW_RECIPE_REPORT) return;
  const info = await redis.info('server');
  append({
    kind: 'redis',
    group,
    id: server.id,
    worker: String(worker),
    test,
    serverPid: Number(/process_id:(\d+)/.exec(info)?.[1]),
    index: redis.options.db ?? 0,
    version: server.version,
    says: /redis_version:(\S+)/.exec(info)?.[1],
  });
}

// Record which server and database a test talked to (with `server`, the test's server: the version it was handed
// beside the one PostgreSQL reports, "15.14 (Debian …)" up to its first space), then hold() the test.
async function reportTest(client, worker, file, test, server) {
  if (!process.env.QDW_RECIPE_REPORT) return;
  const { rows } = await client.query(
    'SELECT current_setting($1) AS dir, current_database() AS db, current_setting($2) AS says',
    ['data_directory', 'server_version'],
  );
  append({
    kind: 'test',
    worker: String(worker),
    file,
    test,
    dataDirectory: rows[0].dir,
    database: rows[0].db,
    ...(server ? { version: server.version, says: rows[0].says.split(' ')[0] } : {}),
  });
  await hold();
}

module.exports = { reportRedis, reportServer, reportServers, reportTest };
