// Per-test databases on Redis: a logical database index per test, claimed atomically in a bookkeeping index (so
// processes sharing a server never get the same one) and flushed on release; over one ioredis connection.
import { Redis } from 'ioredis';
import { QuickdbError, UsageError } from '../../errors.js';
import type { CreatedDatabase, DatabaseAdmin, DatabaseEntry } from '../databases.js';
import type { Connection } from '../types.js';
import { buildRedisConnection, readRedisAccount } from './connection.js';

/** Claim keys live in the last index: `quickdb:claim:<n>` holds the owner, or POOLED while the pool holds it. */
const CLAIM_PREFIX = 'quickdb:claim:';
const POOLED = 'pooled';
/** redis-server's default when its `databases` setting cannot be read (CONFIG renamed away). */
const DEFAULT_DATABASES = 16;

// Each script SELECTs the bookkeeping index itself (ARGV[1]); a SELECT inside a script leaves the connection's
// own index alone, so the admin connection stays on 0. One script is one atomic round trip.
/** ARGV: book, first, last, owner, take-pooled. Take a pooled index, else SET NX the first free one and flush it. */
const CLAIM_LUA = `
local book, first, last, owner = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('SELECT', book)
if ARGV[5] == '1' then
  for i = first, last do
    local key = '${CLAIM_PREFIX}' .. i
    if redis.call('GET', key) == '${POOLED}' then
      redis.call('SET', key, owner)
      return {i, 'pool'}
    end
  end
end
for i = first, last do
  if redis.call('SET', '${CLAIM_PREFIX}' .. i, owner, 'NX') then
    redis.call('SELECT', i)
    redis.call('FLUSHDB')
    return {i, 'clone'}
  end
end
return false`;
/** ARGV: book, index. Flush the index, then release its claim. */
const DROP_LUA = `
redis.call('SELECT', ARGV[2])
redis.call('FLUSHDB')
redis.call('SELECT', ARGV[1])
return redis.call('DEL', '${CLAIM_PREFIX}' .. ARGV[2])`;
/** ARGV: book, first, last. Every claim value in the range (false where free). */
const LIST_LUA = `
redis.call('SELECT', ARGV[1])
local keys = {}
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do keys[#keys + 1] = '${CLAIM_PREFIX}' .. i end
if #keys == 0 then return {} end
return redis.call('MGET', unpack(keys))`;

type Scripted = Redis & {
  claimIndex(...args: (string | number)[]): Promise<[number, 'pool' | 'clone'] | null>;
  dropIndex(...args: (string | number)[]): Promise<number>;
  listClaims(...args: (string | number)[]): Promise<(string | null)[]>;
};

/** The server's index layout: 0 is the instance's own, first..last are per-test, book holds the claims. */
type Layout = { databases: number; first: number; last: number; book: number };

// The connection for one index: the URL's db (redis://…/3, as ioredis, node-redis and redis-py read it) and REDIS_DB.
function buildRedisDatabaseConnection(connection: Connection, name: string): Connection {
  return buildRedisConnection({ ...readRedisAccount(connection), db: name });
}

class RedisAdmin implements DatabaseAdmin {
  #connection: Connection;
  #client: Scripted | null = null;
  #layout: Promise<Layout> | null = null;
  #owner = `pid ${process.pid}`;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  // The admin connection over the instance's socket (the password when the server has one), opened on first use.
  #open(): Scripted {
    if (this.#client) return this.#client;
    const env = this.#connection.env;
    const client = new Redis({
      path: env.REDIS_SOCKET,
      ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
      retryStrategy: () => null,
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => {});
    client.defineCommand('claimIndex', { numberOfKeys: 0, lua: CLAIM_LUA });
    client.defineCommand('dropIndex', { numberOfKeys: 0, lua: DROP_LUA });
    client.defineCommand('listClaims', { numberOfKeys: 0, lua: LIST_LUA });
    this.#client = client as Scripted;
    return this.#client;
  }

  // Read the server's `databases` setting once (the default when CONFIG is refused; a lost connection is retried).
  #readLayout(): Promise<Layout> {
    this.#layout ??= this.#open()
      .config('GET', 'databases')
      .catch((error: Error) => {
        if (error.name === 'ReplyError') return [];
        this.#layout = null;
        throw error;
      })
      .then((reply) => {
        const databases = Number((reply as string[])[1]) || DEFAULT_DATABASES;
        return { databases, first: 1, last: databases - 2, book: databases - 1 };
      });
    return this.#layout;
  }

  // A per-test index named by the caller: a number from first to last (never 0 nor the bookkeeping index).
  async #parseIndex(name: string): Promise<number> {
    const { first, last, book } = await this.#readLayout();
    const index = /^\d{1,9}$/.test(name) ? Number(name) : Number.NaN;
    if (index >= first && index <= last) return index;
    throw new UsageError(
      'name',
      name,
      `a Redis per-test database is an index from ${first} to ${last} (0 is the instance's own, ${book} holds quickdb's claims)`,
    );
  }

  // Claim a free index (or only `only`) for owner, a pooled one first unless it is for the pool; null if none.
  async #claim(owner: string, only?: number): Promise<CreatedDatabase | null> {
    const { first, last, book } = await this.#readLayout();
    const [from, to] = only === undefined ? [first, last] : [only, only];
    const claimed = await this.#open().claimIndex(book, from, to, owner, owner === POOLED ? 0 : 1);
    return claimed ? { name: String(claimed[0]), from: claimed[1] } : null;
  }

  // No index left: the server's `databases` setting bounds how many tests hold one at a time.
  async #describeFull(): Promise<QuickdbError> {
    const { databases, first, last, book } = await this.#readLayout();
    return new QuickdbError(
      `no free Redis database index: all ${Math.max(0, last - first + 1)} per-test indexes are taken. The ` +
        `server's \`databases\` setting (${databases}) bounds them (index 0 is the instance's own, ${book} holds ` +
        `quickdb's claims); drop databases no longer needed, or start the server with more: server args ` +
        `\`-- --databases 64\` (library: args: ['--databases', '64'])`,
    );
  }

  async create(name?: string): Promise<CreatedDatabase> {
    const index = name === undefined ? undefined : await this.#parseIndex(name);
    const claimed = await this.#claim(this.#owner, index);
    if (claimed) return claimed;
    if (name === undefined) throw await this.#describeFull();
    throw new UsageError(
      'name',
      name,
      `Redis database index ${index} is in use; leave out name for a free one`,
    );
  }

  // The pool costs nothing here (a hand-out is one script either way), but it is kept so `pool: N` means what it
  // means elsewhere: N indexes claimed ahead (flushed, marked pooled) that a create takes with from: 'pool'.
  async addPooled(): Promise<string> {
    const claimed = await this.#claim(POOLED);
    if (claimed) return claimed.name;
    throw await this.#describeFull();
  }

  async drop(name: string): Promise<void> {
    const index = await this.#parseIndex(name);
    await this.#open().dropIndex((await this.#readLayout()).book, index);
  }

  async list(): Promise<DatabaseEntry[]> {
    const { first, last, book } = await this.#readLayout();
    const owners = await this.#open().listClaims(book, first, last);
    return owners.flatMap((owner, i) =>
      owner === null ? [] : [{ name: String(first + i), pooled: owner === POOLED }],
    );
  }

  connectionFor(name: string): Connection {
    return buildRedisDatabaseConnection(this.#connection, name);
  }

  async migrationTarget(): Promise<Connection> {
    throw refuseMigrations();
  }

  async applySql(_sql: string): Promise<void> {
    throw refuseMigrations();
  }

  async sealTemplate(): Promise<void> {
    throw refuseMigrations();
  }

  async forgetAccess(): Promise<void> {
    throw refuseMigrations();
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#layout = null;
    await client?.quit().catch(() => client.disconnect());
  }
}

// Redis has per-test indexes but nothing to migrate (normalizeOptions refuses `migrate` before this is reached).
function refuseMigrations(): QuickdbError {
  return new QuickdbError(
    'Redis runs no migrations: its per-test databases are empty indexes, not template clones',
  );
}

// Open the admin side of a Redis instance (it connects on first use).
export async function openRedisAdmin(connection: Connection): Promise<DatabaseAdmin> {
  return new RedisAdmin(connection);
}
