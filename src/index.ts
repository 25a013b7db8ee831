// The library: startServer() and the types around it, and the management API (list, inspect, open, control, gc).

export { type ConnectionView, describeConnection, readConnection } from './api/connection.js';
export { type ControlAction, type ControlResult, controlInstance } from './api/control.js';
export { collectGarbage, type GcAction, type GcOptions } from './api/gc.js';
export { type InstanceView, inspectInstance, listInstances } from './api/instances.js';
export { type OpenedInstance, openInstance } from './api/open.js';
export type { ManageOptions } from './api/options.js';
export { type KeptRemoval, removeKeptInstance } from './api/remove-kept.js';
export { clearSnapshots, listSnapshots, type SnapshotClearing, type SnapshotList } from './api/snapshots.js';
export { startServer } from './api/start.js';
export type { BackendChoice } from './backends/types.js';
export type { DatabaseEntry } from './drivers/databases.js';
export { QuickdbError, UsageError } from './errors.js';
export type { MigrateFunction, MigrateOption } from './launch/options/migrate.js';
export type { DatabaseDriverName, DriverName, StartOptions } from './launch/options/start-options.js';
export type { DataOn } from './launch/placement.js';
export type { ServerDataDir, ServerInfo } from './launch/server-info.js';
export { TestDatabase } from './start/databases/test-database.js';
export type { InstanceInfo, InstanceUrl } from './start/instance.js';
export { Instance } from './start/instance.js';
