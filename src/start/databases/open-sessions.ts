// The warning for a per-test database its test left clients connected to: which sessions, why the database is left
// in place rather than dropped under them, and the fix.
import type { OpenSession } from '../../drivers/databases.js';

/** The most sessions the warning lists one by one. */
const SHOWN = 5;

// One session as a line: where from, which program, since when, doing what.
function describeSession(s: OpenSession): string {
  const parts = [`session ${s.id} from ${s.from}`];
  if (s.application) parts.push(`application ${JSON.stringify(s.application)}`);
  if (s.since) parts.push(`connected at ${s.since}`);
  if (s.state) parts.push(s.state);
  if (s.lastQuery) parts.push(`last query ${JSON.stringify(s.lastQuery.replace(/\s+/g, ' ').trim())}`);
  return `  - ${parts.join(', ')}\n`;
}

/** The one warning for `sessions` left open to database `name` after its test. */
export function describeOpenSessions(name: string, sessions: OpenSession[]): string {
  const count = sessions.length === 1 ? '1 connection' : `${sessions.length} connections`;
  const more = sessions.length > SHOWN ? `  - and ${sessions.length - SHOWN} more\n` : '';
  return (
    `quickdb-watcher: the test left ${count} open to its database ${name}:\n` +
    sessions.slice(0, SHOWN).map(describeSession).join('') +
    more +
    '  The database is not dropped now: dropping it would end those connections under their client, which would ' +
    'throw "terminating connection due to administrator command" as an uncaught error during a later test. It goes ' +
    'when the server stops.\n' +
    '  Fix: end the client in afterEach or in the test (await client.end(); a pool: await pool.end()).\n'
  );
}
