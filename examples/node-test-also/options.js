// node:test example, several servers: the options every test file passes (under `node --test`, the first file to
// start decides them for the run). One PostgreSQL for the run (migrated; a database per test), and beside it, by name
// (`also`), one Redis for the run (`cache`: a database index per test) and a Redis per file (`queue`: per-worker, and
// each `node --test` file is its own worker).
export const servers = {
  migrate: 'migrations',
  also: { cache: { driver: 'redis' }, queue: { driver: 'redis', servers: 'per-worker' } },
};
