// Shared by the spare tests: a private state root whose PostgreSQL spares go to its RAM root, removed after the test
// once the detached refills are done; how an instance's data dir was made; the complete spares in a spares dir.
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Instance } from '../../dist/index.js';
import { resolveRamRoot } from '../../dist/launch/placement.js';
import { scratchDir } from '../helpers/env.js';
import { waitFor } from '../helpers/poll.js';

// How the instance's data dir was made ('spare', 'cloned', …).
export const made = (i: Instance): string | undefined =>
  (i.info.server?.dataDir as { how?: string } | undefined)?.how;

// A private state root; spares for PostgreSQL go to its RAM root (the data dirs' filesystem). A detached refill may
// still be copying into .spares after the test's last stop: the root goes once no entry `busy` names is left.
export function makeSpareRoot(
  t: TestContext,
  prefix: string,
  busy: (name: string) => boolean,
): { stateRoot: string; spares: string; ramRoot: string } {
  const base = scratchDir(t, prefix);
  chmodSync(base, 0o711); // as root, the server's own user reaches its socket dir through here
  const stateRoot = join(base, 'state');
  const ramRoot = resolveRamRoot(stateRoot) as string;
  const spares = join(ramRoot, '.spares');
  t.after(async () => {
    const refilling = () => existsSync(spares) && readdirSync(spares).some(busy);
    await waitFor('the spare refills to finish', () => !refilling(), 60_000);
    rmSync(ramRoot, { recursive: true, force: true });
  });
  return { stateRoot, spares, ramRoot };
}

// The complete spares (not refills in progress) in a spares dir.
export const listSpares = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
