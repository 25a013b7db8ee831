// The per-test databases of a running instance found by its id (the `db` command): its launch record read back as
// untrusted input, the connection checked to lead to the instance's own server, and a DatabasePool of the recorded size.
import { describePerTestEngines, hasPerTestDatabases } from '../../drivers/capabilities.js';
import { UsageError } from '../../errors.js';
import { readLaunchRecord, requireRecorded } from '../../launch/record.js';
import { requireRunningSpec } from '../../manage/shown-connection.js';
import { getInstancePaths } from '../../state/records/paths.js';
import { findKeepPlace } from './keep-failed.js';
import { DatabasePool } from './pool.js';

/** Open the per-test databases of the running instance `id` under stateRoot: a UsageError (exit 2) when there is no
 *  such instance or it has no per-test databases, a QuickdbError (exit 1) when it is not running or its record is
 *  refused. The caller closes the pool; databases it creates stay until dropped or the server stops. */
export function openInstanceDatabases(stateRoot: string, id: string): DatabasePool {
  const spec = requireRunningSpec(stateRoot, id, 'open the databases of', 'its databases live');
  if (!hasPerTestDatabases(spec.driver))
    throw new UsageError(
      'ID',
      id,
      `a ${spec.driver} instance has no per-test databases; ${describePerTestEngines()} have them`,
    );
  const place = findKeepPlace(spec, getInstancePaths(stateRoot, spec.id).dir); // where the record was found
  const record = readLaunchRecord(spec);
  const connection = requireRecorded(record.connection, spec.id);
  return new DatabasePool(spec.driver, spec.id, connection, requireRecorded(record.pool, spec.id), place);
}
