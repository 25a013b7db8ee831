// node:test example: a pg client on this test's own database (and this repo's CI report of which one it was).
import pg from 'pg';
import { reportServers, reportTest } from '../report.cjs'; // this repo's CI only: drop it in your copy

let reported = false;

// Connect to the test's database; the caller ends the client.
export async function connect(db, file, test) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  if (!reported) reportServers([db.server.id], process.pid); // CI only
  reported = true;
  await reportTest(client, process.pid, file, test); // CI only
  return client;
}
