// The one table of startServer's option keys and the CLI flag of each, and errors renamed from library names
// (`stopGraceMs`) to CLI flags (`--stop-grace`). Small and import-free beyond errors: the CLI's fast path loads it.
import type { UsageError } from '../../errors.js';
import type { StartOptions } from './start-options.js';

/** Each startServer option and what sets it on the CLI (the key itself where the CLI has no flag for it). */
export const OPTION_FLAGS: { readonly [K in keyof Required<StartOptions>]: string } = {
  driver: 'DRIVER',
  args: '-- ARGV',
  id: '--id',
  dataDir: '--data-dir',
  dataOn: '--data-on',
  cleanup: '--cleanup',
  parent: '--parent',
  lifeline: 'lifeline',
  heir: 'heir',
  backend: '--backend',
  stopGraceMs: '--stop-grace',
  fastGraceMs: '--fast-grace',
  pollMs: '--poll',
  stopSignal: '--stop-signal',
  fastStopSignal: '--fast-stop-signal',
  readyFile: '--ready-file',
  readyPort: '--ready-port',
  readyLog: '--ready-log',
  readyTimeoutMs: '--ready-timeout',
  env: 'env',
  exportEnv: '--env',
  envFile: '--write-env',
  stateRoot: 'stateRoot',
  port: '--port',
  user: '--user',
  password: '--password',
  database: '--database',
  auth: '--auth',
  tls: '--tls',
  pgBin: '--pg-bin',
  pgVersion: '--pg-version',
  mysqlBin: '--mysql-bin',
  redisBin: '--redis-bin',
  pgHba: '--pg-hba',
  settings: '--set',
  snapshot: '--snapshot',
  migrate: '--migrate',
  migrateHash: '--migrate-hash',
  migrateKey: 'migrateKey',
  migrateRoot: 'migrateRoot',
  pool: '--pool',
  spares: 'spares',
};

/** Names of parts of an option, and their flags: `migrate: { command }` is the CLI's --migrate-command. */
const PART_FLAGS: Readonly<Record<string, string>> = { 'migrate.command': '--migrate-command' };

const FLAG_OF: ReadonlyMap<string, string> = new Map([
  ...Object.entries(OPTION_FLAGS),
  ...Object.entries(PART_FLAGS),
]);

/** The error with its options named by the CLI's flags (`--stop-grace`, not `stopGraceMs`). */
export function nameForCli(error: UsageError): UsageError {
  return error.renamed((name) => FLAG_OF.get(name) ?? name);
}
