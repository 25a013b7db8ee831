// Extra pg_hba.conf lines a suite needs (`--pg-hba`, library `pgHba`), e.g. md5 for one role and scram for another:
// placed before ours, and held to what cannot open a door: only the socket and the loopback, named roles and
// databases (no @file include), no options, and `trust` over TCP only when auth 'trust' was asked for by name.
import { UsageError } from '../../errors.js';
import type { AuthChoice } from '../access.js';

const TYPES = ['local', 'host', 'hostssl', 'hostnossl'];
const ADDRESSES = ['samehost', '127.0.0.1/32', '::1/128'];
const METHODS = ['trust', 'reject', 'md5', 'password', 'scram-sha-256'];
const NAMES = /^\+?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const KEYWORDS = ['all', 'sameuser', 'samerole', 'replication'];

const ALLOWED =
  'expected TYPE DATABASE USER [ADDRESS] METHOD: local, host, hostssl or hostnossl; databases and users as names, ' +
  `+roles or ${KEYWORDS.join('/')}, comma-separated; ADDRESS ${ADDRESSES.join(', ')} (the server listens on ` +
  `127.0.0.1 only); METHOD ${METHODS.join(', ')}; trust over TCP only with auth 'trust'`;

// True when every comma-separated item is a name, a +role or a keyword.
function isNameList(field: string | undefined): boolean {
  return (field ?? '').split(',').every((item) => NAMES.test(item) || KEYWORDS.includes(item));
}

// Check one line; throws a UsageError naming pgHba and the line.
function checkLine(line: string, auth: AuthChoice): void {
  const fields = line.trim().split(/\s+/);
  const [type = '', database, user] = fields;
  const local = type === 'local';
  const address = local ? undefined : fields[3];
  const method = fields[local ? 3 : 4];
  const fine =
    TYPES.includes(type) &&
    fields.length === (local ? 4 : 5) &&
    isNameList(database) &&
    isNameList(user) &&
    (local || ADDRESSES.includes(String(address))) &&
    METHODS.includes(String(method));
  if (!fine) throw new UsageError('pgHba', line, ALLOWED);
  if (!local && method === 'trust' && auth !== 'trust')
    throw new UsageError(
      'pgHba',
      line,
      (name) => `trust over TCP needs ${name('auth')} trust, asked for by name`,
    );
}

// Check the extra lines against the instance's auth choice.
export function checkPgHba(lines: readonly string[], auth: AuthChoice): void {
  for (const line of lines) checkLine(line, auth);
}
