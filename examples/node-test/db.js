// node:test recipe: one throwaway PostgreSQL per test file (node --test runs every file in its own process).
import { basename } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { startServer } from 'quickdb-watcher';
import { reportServer, reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

// Call at the top of a test file: the server starts in `before` and is stopped in `after`.
// If the process dies instead (crash, SIGKILL), the watcher stops the server and deletes its data.
export function useDatabase(file) {
  const db = { server: null, client: null };
  before(async () => {
    db.server = await startServer(); // PostgreSQL, cloned from a cached snapshot
    reportServer(db.server, process.pid);
    db.client = new pg.Client({ connectionString: db.server.url });
    await db.client.connect();
    await reportTest(db.client, process.pid, basename(file));
  });
  after(async () => {
    await db.client?.end();
    await db.server?.stop();
  });
  return db;
}
