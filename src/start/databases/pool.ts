// The per-test databases of one instance, as one process sees them: the admin connection and the warm pool it
// refills in the background, one clone at a time.
import { openDatabaseAdmin } from '../../drivers/admins.js';
import type { DatabaseAdmin, DatabaseEntry } from '../../drivers/databases.js';
import type { Connection } from '../../drivers/types.js';
import type { KeepPlace } from './keep-failed.js';
import { TestDatabase } from './test-database.js';

export class DatabasePool {
  #admin: DatabaseAdmin | null = null;
  #opening: Promise<DatabaseAdmin> | null = null;
  #refilling: Promise<void> | null = null;
  /** A hand-out came while a refill ran: top up once more after it (its last count may predate the claim). */
  #again = false;
  #closed = false;

  constructor(
    readonly driver: string,
    readonly instanceId: string,
    readonly connection: Connection,
    /** How many databases to keep created ahead. */
    readonly size: number,
    /** Where a kept database can outlive the run (the instance's state dir and heir); null: it goes with the server. */
    readonly place: KeepPlace | null = null,
  ) {}

  async #open(): Promise<DatabaseAdmin> {
    if (this.#admin) return this.#admin;
    this.#opening ??= openDatabaseAdmin(this.driver, this.connection).then((admin) => {
      this.#admin = admin;
      return admin;
    });
    return this.#opening;
  }

  // Top the pool up to its size, one clone at a time; errors end the refill quietly (a create clones instead).
  // Bounded: a server that never shows the new ones as pooled cannot make it loop.
  async #refill(): Promise<void> {
    const admin = await this.#open();
    for (let made = 0; !this.#closed && made < 2 * this.size; made++) {
      const pooled = (await admin.list()).filter((d) => d.pooled).length;
      if (pooled >= this.size) return;
      await admin.addPooled();
    }
  }

  /** Start topping the pool up in the background (no-op when a refill runs or the size is 0). */
  refill(): void {
    if (this.size === 0 || this.#closed) return;
    if (this.#refilling) {
      this.#again = true;
      return;
    }
    this.#refilling = this.#refill()
      .catch(() => {})
      .finally(() => {
        this.#refilling = null;
        if (this.#again) {
          this.#again = false;
          this.refill();
        }
      });
  }

  /** Resolve once the background refill (and any it queued) is done. */
  async settle(): Promise<void> {
    while (this.#refilling) await this.#refilling;
  }

  /** A database for one test: from the pool when one is ready, else cloned now. */
  async create(name?: string): Promise<TestDatabase> {
    const admin = await this.#open();
    const created = await admin.create(name);
    this.refill();
    return new TestDatabase(admin, this.instanceId, created, () => this.#closed, this.place);
  }

  /** The per-test and pooled databases the server holds. */
  async list(): Promise<DatabaseEntry[]> {
    return (await this.#open()).list();
  }

  /** Drop one database by name. */
  async drop(name: string): Promise<void> {
    await (await this.#open()).drop(name);
  }

  /** Close the admin connection (a refill in flight is abandoned; the server's end removes what it made). */
  async close(): Promise<void> {
    this.#closed = true;
    const admin = this.#admin ?? (this.#opening ? await this.#opening.catch(() => null) : null);
    await this.#refilling?.catch(() => {});
    await admin?.close();
  }
}
