// The README's "Managing instances from code" block, verbatim below the marker line: type-checked here with the
// other public types (tsc -p tsconfig.test.json), and run for real by test/api/readme-manage.test.ts.
// --- README block ---
import {
  collectGarbage,
  controlInstance,
  type InstanceView,
  inspectInstance,
  listInstances,
  openInstance,
  startServer,
} from 'quickdb-watcher';

// An instance to manage: one `quickdb-watcher up` printed, or (here) one this process starts.
const { id } = (await startServer()).info;

// Every instance of this user, and one in detail: its phase and the exact server it runs.
const all: InstanceView[] = listInstances();
console.log(all.map((view) => `${view.id} ${view.phase}`).join('\n'));
const view = inspectInstance(id); // null when there is no such instance
console.log(view?.phase, view?.server?.version); // ready 15.14

// Open a running instance by id (from any process of this user): a fresh database for one test.
const instance = openInstance(id);
try {
  const db = await instance.createDatabase();
  console.log(db.url); // postgresql://postgres:…@127.0.0.1:…/qdw_…
} finally {
  await instance.close();
}

// Stop it ('keep' stops and keeps the data, 'kill' eliminates fast, 'quiet' silences its errors).
const { ok } = await controlInstance(id, 'stop');
console.log(ok ? 'stopped' : 'not stopped cleanly');

// Clean up after instances whose watcher died (a reboot, a SIGKILL): orphan servers, data dirs, records.
for (const done of await collectGarbage()) console.log(`${done.id}: ${done.action}: ${done.detail}`);
