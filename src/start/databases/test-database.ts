// One per-test database handed to a caller: its name and connection, drop() and `await using`, keep() for a look.
import type { CreatedDatabase, DatabaseAdmin } from '../../drivers/databases.js';
import { announceKept, type KeepPlace } from './keep-failed.js';
import { describeOpenSessions } from './open-sessions.js';

/** A database made for one test; disposing it drops it (unless kept). */
export class TestDatabase implements AsyncDisposable {
  /** The database (PostgreSQL), schema (MariaDB) or index (Redis) name. */
  readonly name: string;
  /** The URL for this database. */
  readonly url: string;
  /** Environment for clients (PGDATABASE, DATABASE_URL…, pointing at this database). */
  readonly env: Record<string, string>;
  /** Whether it came from the warm pool or was cloned on demand. */
  readonly from: 'pool' | 'clone';
  #admin: DatabaseAdmin;
  #instanceId: string;
  #done = false;
  /** True once the instance was stopped: its databases went with it, so there is nothing to drop. */
  #ended: () => boolean;
  #place: KeepPlace | null;

  /** Made by `Instance.createDatabase()`, not by hand. */
  constructor(
    admin: DatabaseAdmin,
    instanceId: string,
    created: CreatedDatabase,
    ended: () => boolean,
    place: KeepPlace | null = null,
  ) {
    const connection = admin.connectionFor(created.name);
    this.#place = place;
    this.#admin = admin;
    this.#instanceId = instanceId;
    this.#ended = ended;
    this.name = created.name;
    this.url = String(connection.url);
    this.env = connection.env;
    this.from = created.from;
  }

  /** Remove the database now, ending any session still connected to it (a no-op once the server was stopped). */
  async drop(): Promise<void> {
    if (this.#done || this.#ended()) return;
    this.#done = true;
    await this.#admin.drop(this.name);
  }

  /** After its test: drop it, unless clients are still connected to it; then it is left for the server's end (a drop
   *  would end their connections under them, an uncaught error in a later test) and one warning names them. */
  async dropAfterTest(): Promise<void> {
    if (this.#done || this.#ended()) return;
    // A session that connects after this look is ended by the drop, as drop() does: nothing else should connect to a
    // finished test's database.
    const sessions = (await this.#admin.listSessions?.(this.name)) ?? [];
    if (sessions.length === 0) return this.drop();
    this.#done = true;
    process.stderr.write(describeOpenSessions(this.name, sessions));
  }

  /** Keep it for a look after the run (a failed test's data): dispose leaves it, and its URL is printed on stderr.
   *  On a server the test-runner integrations started, it outlives the run, bound to the shell that ran it, unless
   *  in CI or QUICKDB_KEEP_FAILED=0 (the message says which, and how to remove it); else it goes with the server. */
  keep(): string {
    if (!this.#done) {
      this.#done = true;
      process.stderr.write(announceKept(this.#place, this.#instanceId, this.name, this.url));
    }
    return this.url;
  }

  /** The JSON shape `db create --format json` prints. */
  toJSON(): { name: string; url: string; env: Record<string, string>; from: string } {
    return { name: this.name, url: this.url, env: this.env, from: this.from };
  }

  /** `await using`: drop the database when the scope ends (unless kept). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.drop();
  }
}
