// The management API's types as a user's strict TypeScript meets them: what each call takes and returns, and what
// must not compile (@ts-expect-error). Type-checked only (tsc -p tsconfig.test.json), never run.
import {
  type ConnectionView,
  clearSnapshots,
  collectGarbage,
  controlInstance,
  describeConnection,
  type GcAction,
  type GcOptions,
  type InstanceView,
  inspectInstance,
  type KeptRemoval,
  listInstances,
  listSnapshots,
  type ManageOptions,
  type OpenedInstance,
  openInstance,
  readConnection,
  removeKeptInstance,
  type SnapshotClearing,
  type SnapshotList,
  type TestDatabase,
} from 'quickdb-watcher';

const where: ManageOptions = { stateRoot: '/tmp/qdw' };
const views: InstanceView[] = listInstances(where);
const one: InstanceView | null = inspectInstance('postgresql-1a2b3c4d');
const phase: string | undefined = one?.phase;
const version: string | undefined = one?.server?.version;
const shown: ConnectionView[] = views.map(describeConnection);
const url: string | undefined = readConnection('postgresql-1a2b3c4d', where).url;
// @ts-expect-error the id comes first, the options after
inspectInstance(where, 'postgresql-1a2b3c4d');
// @ts-expect-error an unknown option does not compile
listInstances({ stateDir: '/tmp/qdw' });

const opened: OpenedInstance = openInstance('postgresql-1a2b3c4d', where);
const db: TestDatabase = await opened.createDatabase({ name: 'qdw_mine' });
await opened.dropDatabase(db.name);
await opened.close();

await controlInstance('postgresql-1a2b3c4d', 'keep', where);
// The earlier form, the state root first, still compiles.
await controlInstance('/tmp/qdw', 'postgresql-1a2b3c4d', 'stop');
// @ts-expect-error 'halt' is not an action
await controlInstance('postgresql-1a2b3c4d', 'halt');
const removal: KeptRemoval = removeKeptInstance('postgresql-1a2b3c4d');

const gcOptions: GcOptions = { ...where, dryRun: true };
const actions: GcAction[] = await collectGarbage(gcOptions);
const action: 'recovered' | 'removed-record' | 'kept' | 'skipped' | undefined = actions[0]?.action;
// @ts-expect-error dryRun is a boolean
await collectGarbage({ dryRun: 'yes' });

const snapshots: SnapshotList = listSnapshots();
const cleared: SnapshotClearing = clearSnapshots({ key: snapshots.snapshots[0]?.key ?? 'none' });

void [phase, version, shown, url, removal, action, cleared];
