// Test-databases area, PGlite's per-test database beside our createDatabase(): `clone()` of an in-memory instance
// migrated with the area's own SQL (001/002), and a fresh `PGlite.create()` + that migration per test.
import type { SideStep } from './databases-pg.js';
import { timeMs } from './databases-pg.js';
import { countTables, readMigrationSql } from './databases-schema.js';
import { createMigrated, findPglite, loadPglite, type Pglite } from './pglite.js';
import type { Results } from './record.js';

const CLONE =
  'PGlite: `clone()` of a migrated in-memory instance (in this process; answers at once, no connect)';
const SCRATCH = 'PGlite: `PGlite.create()` + migrate from scratch (what a test pays without clone())';

/** PGlite's steps for the rotation, and how to close the migrated instance they clone. */
export interface PgliteSteps {
  steps: SideStep[];
  close(): Promise<void>;
}

// The two steps, skipped loudly with the install command when PGlite is not found.
function skipSteps(why: string): PgliteSteps {
  process.stderr.write(`\n!!! test-databases: SKIPPING the PGlite rows: ${why}\n\n`);
  const time = (): Promise<number> => Promise.reject(new Error(why));
  return {
    steps: [CLONE, SCRATCH].map((name) => ({ name, note: '', skip: why, time })),
    close: async () => {},
  };
}

// Open PGlite's steps: one instance migrated with the SQL in `migrationDir` (untimed; a clone of it checked once).
export async function openPgliteSteps(results: Results, migrationDir: string): Promise<PgliteSteps> {
  const dep = findPglite();
  if ('skip' in dep) return skipSteps(dep.skip);
  const PGlite = await loadPglite(dep);
  const sql = readMigrationSql(migrationDir);
  const t0 = performance.now();
  const source = await createMigrated(PGlite, sql);
  results.facts['PGlite: first create + migrate ms'] = Math.round(performance.now() - t0);
  try {
    const clone = await source.clone();
    const holds = await countTables((q) => clone.query(q)).finally(() => clone.close());
    results.facts['PGlite: a clone holds'] = holds;
    if (holds.tables !== 20 || holds.rows !== 1000 || holds.indexes !== 60)
      throw new Error(`a PGlite clone holds ${JSON.stringify(holds)}, not 20 tables, 1000 rows, 60 indexes`);
  } catch (error) {
    await source.close();
    throw error;
  }
  const note = `@electric-sql/pglite ${dep.version}, migration 001/002 applied with exec()`;
  // Time a step that makes an instance, then close it untimed.
  const timeAndClose = async (make: () => Promise<Pglite>): Promise<number> => {
    let made: Pglite | null = null;
    const ms = await timeMs(async () => {
      made = await make();
    });
    await (made as Pglite | null)?.close();
    return ms;
  };
  return {
    steps: [
      { name: CLONE, note, time: () => timeAndClose(() => source.clone()) },
      { name: SCRATCH, note, time: () => timeAndClose(() => createMigrated(PGlite, sql)) },
    ],
    close: () => source.close(),
  };
}
