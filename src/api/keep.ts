// Kept databases (a failed test's, kept for a look): whether keeping is on, and whether an instance holds one.
export { readKeepFailed } from '../start/databases/keep-failed.js';
export { hasKeptNote } from '../state/records/kept-note.js';
