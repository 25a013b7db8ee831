// The names users type, checked as the library checks them: drivers, backends, database names, instance ids.
// Light on purpose: the CLI's parser loads it at start-up.
export { BACKEND_CHOICES } from '../backends/types.js';
export { validateDatabaseName } from '../drivers/databases.js';
export { listDriverNames } from '../drivers/registry.js';
export { validateDriverName } from '../launch/options/driver-name.js';
export { ID_PATTERN } from '../state/records/spec.js';
