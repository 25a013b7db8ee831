// A requester holding many instances: starts N servers via the library (lifelines held), prints their infos, waits.
// usage: node --import tsx bench/mass-parent.ts N '<StartOptions JSON>' [CONCURRENCY] ; SIGKILL it to tear all down.
import { type Instance, type StartOptions, startServer } from '../dist/index.js';

// Start n instances with at most `concurrency` launches in flight; resolves with all of them.
export async function startMany(n: number, options: StartOptions, concurrency: number): Promise<Instance[]> {
  const started: Instance[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      next++;
      started.push(await startServer(options));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return started;
}

const [n, json, concurrency] = process.argv.slice(2);
if (n && json) {
  const instances = await startMany(Number(n), JSON.parse(json) as StartOptions, Number(concurrency ?? 4));
  process.stdout.write(`${JSON.stringify(instances.map((i) => ({ ...i.info, parentPid: process.pid })))}\n`);
  setInterval(() => {}, 1 << 30);
}
