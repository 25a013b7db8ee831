// The default account's password set once the server runs, over its unix socket (trusted there, in a 0700 dir),
// instead of in single-user mode before it starts: the launch's critical path loses a whole `postgres --single`.
// Until it is set no TCP login can succeed: pg_hba.conf asks TCP for a password and the role has none.
import pg from 'pg';
import { QuickdbError } from '../../errors.js';

// Run `ALTER ROLE … PASSWORD '<SCRAM secret>'` for user over the socket in socketDir; rejects naming the step.
export async function setPasswordLate(
  socketDir: string,
  port: number,
  user: string,
  secret: string,
): Promise<void> {
  // Everything named: nothing taken from the user's PG* environment (PGSSLMODE=require would fail on a socket).
  const client = new pg.Client({
    host: socketDir,
    port,
    user,
    database: 'template1',
    ssl: false,
    // PGOPTIONS is the user's too: ours replace it (a read-only default would refuse the ALTER).
    options: '-c default_transaction_read_only=off -c statement_timeout=0',
    application_name: 'quickdb-watcher',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`ALTER ROLE "${user}" WITH SUPERUSER LOGIN PASSWORD '${secret}'`);
  } catch (cause) {
    const why = (cause as Error).message.replaceAll(secret, '<secret>');
    throw new QuickdbError(`setting the password over ${socketDir} failed: ${why}`);
  } finally {
    await client.end().catch(() => {});
  }
}
