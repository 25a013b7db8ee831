// TCP needs a password: our own pg_hba.conf (socket trust, TCP scram-sha-256) and the instance's password set in
// single-user mode before the server starts, as a SCRAM verifier on stdin (never on a command line or in a log).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writePrivateFile } from '../network.js';
import { runServerTool } from '../run-tool.js';
import type { ServiceUser } from '../service-user.js';
import type { PgBinaries } from './binaries.js';
import { PG_DATABASE, PG_USER } from './init.js';

/** The unix socket sits in a 0700 dir and stays trust; every TCP connection (any address) needs scram-sha-256. */
const PG_HBA = `# Written by quickdb-watcher at each start: the unix socket (in a 0700 dir) trusts, TCP needs the password.
local all all trust
local replication all trust
host all all all scram-sha-256
`;

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
export function writePgHba(pgdata: string, user: ServiceUser | null): void {
  writePrivateFile(join(pgdata, 'pg_hba.conf'), PG_HBA, user);
}

// Set the superuser's password with `postgres --single` (the cluster must be stopped); the SQL goes on stdin.
export async function setPgPassword(
  bins: PgBinaries,
  pgdata: string,
  password: string,
  user: ServiceUser | null,
): Promise<void> {
  const secret = buildScramSecret(password);
  const settings = [
    'fsync=off',
    'listen_addresses=',
    'shared_memory_type=mmap',
    'dynamic_shared_memory_type=mmap',
  ];
  await runServerTool(
    bins.postgres,
    ['--single', '-D', pgdata, ...settings.flatMap((s) => ['-c', s]), PG_DATABASE],
    {
      user,
      cwd: pgdata,
      env: { LC_ALL: 'C', LANG: 'C' },
      extendEnv: true,
      input: `ALTER ROLE ${PG_USER} WITH PASSWORD '${secret}';\n`,
      failedByOutput: (output) => /\b(ERROR|FATAL|PANIC):/.test(output),
      details: (output) => output.replaceAll(secret, '<secret>').trim(),
    },
    `setting the TCP password of ${pgdata} failed`,
  );
}
