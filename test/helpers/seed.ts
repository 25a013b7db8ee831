// Loaded into every test process: with QUICKDB_TEST_SEED set (CI), fast-check's seed is pinned so a landing run is
// reproducible; without it (local runs) every run explores new inputs. A failure always prints its seed. Under
// run-tests.mjs, the process moves into its file's own sandbox first (file-sandbox.ts).
import fc from 'fast-check';
import { enterFileSandbox } from './file-sandbox.js';

enterFileSandbox();
if (process.env.QUICKDB_TEST_SEED) fc.configureGlobal({ seed: Number(process.env.QUICKDB_TEST_SEED) });
