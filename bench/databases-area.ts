// The test-databases area (issue 13): per-test databases from a migrated template, PostgreSQL on RAM and on disk,
// a suite run twice, published peer figures, MariaDB and Redis; the migration files live in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runEngineRows } from './databases-engines.js';
import { AREA, runPgPlacement } from './databases-pg.js';
import { openPgliteSteps } from './databases-pglite.js';
import { makeCountingMigration, writeMariadbMigrationDir, writeMigrationDir } from './databases-schema.js';
import { runSuiteTwice } from './databases-suite.js';
import { addCell, type Results } from './record.js';
import type { Sandbox } from './sandbox.js';

/** Figures other tools publish for the same step; shown beside ours, not measured here. */
const PUBLISHED = [
  {
    name: 'published, not measured here: pgtestdb (Go) clone of its template database, RAM-backed server',
    ms: 10,
    note: 'README "Rough perf numbers?": "~10ms to clone a template", github.com/peterldowns/pgtestdb',
  },
  {
    name: 'published, not measured here: pgdbtemplate (Go) CREATE DATABASE … TEMPLATE per test',
    ms: 29,
    note: 'its author\'s announcement: "29ms on average", github.com/andrei-polukhin/pgdbtemplate',
  },
];

// Run the area: rows 1–3 per placement (PGlite's beside RAM's), row 4 (suite twice), row 5 (published), row 6 (MariaDB, Redis).
export async function runTestDatabasesArea(
  sandbox: Sandbox,
  results: Results,
  trials: number,
): Promise<void> {
  const dir = mkdtempSync(join(sandbox.base, 'migrations-'));
  try {
    const pgDir = writeMigrationDir(join(dir, 'postgresql'));
    // PGlite (in memory) side by side with the RAM placement, in the same trials and rotation.
    const pglite = await openPgliteSteps(results, pgDir);
    try {
      await runPgPlacement(sandbox, results, pgDir, undefined, trials, pglite.steps);
    } finally {
      await pglite.close();
    }
    await runPgPlacement(sandbox, results, pgDir, 'disk', trials);
    await runSuiteTwice(sandbox, results, makeCountingMigration(pgDir), trials);
    for (const peer of PUBLISHED)
      addCell(results, { area: AREA, name: peer.name, unit: 'ms', samples: [peer.ms], note: peer.note });
    await runEngineRows(sandbox, results, writeMariadbMigrationDir(join(dir, 'mariadb')), trials);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
