// The account clients use: our own pg_hba.conf, and the password (a SCRAM verifier), role and database set in
// single-user mode before the server starts, on stdin (never on a command line or in a log).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Account as AnyAccount } from '../access.js';
import { writePrivateFile } from '../network.js';
import { runServerTool } from '../run-tool.js';
import type { ServiceUser } from '../service-user.js';
import type { PgBinaries } from './binaries.js';
import { PG_DATABASE, PG_USER } from './init.js';

// Our pg_hba.conf: the unix socket (in a 0700 dir) trusts unless a password was chosen (a suite testing a wrong
// password must see it refused there too); TCP (127.0.0.1 only: the server listens nowhere else) wants the password,
// or trusts when auth 'trust' was asked for by name.
function buildPgHba(account: Account, extra: readonly string[]): string {
  const socket = account.password !== null && account.chosen ? 'scram-sha-256' : 'trust';
  const tcp = account.password === null ? 'trust' : 'scram-sha-256';
  return [
    '# Written by quickdb-watcher at each start: the lines asked for (checked), then ours.',
    ...extra,
    `local all all ${socket}`,
    `local replication all ${socket}`,
    `host all all 127.0.0.1/32 ${tcp}`,
    `host replication all 127.0.0.1/32 ${tcp}`,
    '',
  ].join('\n');
}

const SCRAM_ITERATIONS = 4096;

// The SCRAM-SHA-256 secret PostgreSQL stores for `password` (RFC 5802/7677); a URL-safe password needs no SASLprep.
function buildScramSecret(password: string, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (b: Buffer): string => b.toString('base64');
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

// Replace the cluster's pg_hba.conf with ours (0600, owned by the server's user).
export function writePgHba(
  pgdata: string,
  account: Account,
  extra: readonly string[],
  user: ServiceUser | null,
): void {
  writePrivateFile(join(pgdata, 'pg_hba.conf'), buildPgHba(account, extra), user);
}

/** A PostgreSQL account always names its database (the main one unless another was chosen). */
type Account = AnyAccount & { database: string };

// The SQL that gives the account its password (a SCRAM secret, or none for trust), makes a chosen user a superuser
// and a chosen database a copy of the main one; one statement a line, the database last (it may exist already).
function buildAccessSql(account: Account, secret: string | null): string[] {
  const role = `"${account.user}"`;
  const lines: string[] = [];
  if (account.user !== PG_USER)
    lines.push(`DO $$BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object THEN NULL; END$$;`);
  const password = secret === null ? 'PASSWORD NULL' : `PASSWORD '${secret}'`;
  lines.push(`ALTER ROLE ${role} WITH SUPERUSER LOGIN ${password};`);
  if (account.database !== PG_DATABASE)
    lines.push(`CREATE DATABASE "${account.database}" OWNER ${role} TEMPLATE "${PG_DATABASE}";`);
  return lines;
}

/** The error single-user mode prints when the chosen database is there already (a kept or migrated data dir). */
const EXISTS = /ERROR:\s+database ".*" already exists/;

// Give the account its password, role and database with `postgres --single` (the cluster must be stopped); the SQL
// goes on stdin, never on a command line or in a log. Nothing to do for the default account under trust.
export async function preparePgAccess(
  bins: PgBinaries,
  pgdata: string,
  account: Account,
  user: ServiceUser | null,
): Promise<void> {
  if (account.password === null && account.user === PG_USER && account.database === PG_DATABASE) return;
  const secret = account.password === null ? null : buildScramSecret(account.password);
  const settings = [
    'fsync=off',
    'listen_addresses=',
    'shared_memory_type=mmap',
    'dynamic_shared_memory_type=mmap',
  ];
  await runServerTool(
    bins.postgres,
    ['--single', '-D', pgdata, ...settings.flatMap((s) => ['-c', s]), 'template1'],
    {
      user,
      cwd: pgdata,
      env: { LC_ALL: 'C', LANG: 'C' },
      extendEnv: true,
      input: `${buildAccessSql(account, secret).join('\n')}\n`,
      failedByOutput: (output) => /\b(ERROR|FATAL|PANIC):/.test(output.replace(EXISTS, '')),
      details: (output) => (secret === null ? output : output.replaceAll(secret, '<secret>')).trim(),
    },
    `setting the account of ${pgdata} failed`,
  );
}
