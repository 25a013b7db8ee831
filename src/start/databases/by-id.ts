// The per-test databases of a running instance found by its id (the `db` command): its spec read back as untrusted
// input, the connection checked to lead to the instance's own server, and a DatabasePool of the recorded size.
import { describePerTestEngines, hasPerTestDatabases } from '../../drivers/capabilities.js';
import { UsageError } from '../../errors.js';
import { POOL_MAX } from '../../launch/options/normalize.js';
import { readRecordedConnection, refuseSpec } from '../../manage/recorded-connection.js';
import { requireRunningSpec } from '../../manage/shown-connection.js';
import { getInstancePaths } from '../../state/records/paths.js';
import type { Spec } from '../../state/records/spec.js';
import { findKeepPlace } from './keep-failed.js';
import { DatabasePool } from './pool.js';

// The pool size spec.info.pool records (0 when none).
function readPoolSize(spec: Spec): number {
  const size = spec.info?.pool ?? 0;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > POOL_MAX)
    throw refuseSpec(
      spec.id,
      `has info.pool ${JSON.stringify(size)}; expected a whole number from 0 to ${POOL_MAX}`,
    );
  return size;
}

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
  return new DatabasePool(spec.driver, spec.id, readRecordedConnection(spec), readPoolSize(spec), place);
}
