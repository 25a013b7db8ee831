// Parent liveness: the lifeline socket and the PID watch (start time checked; zombies count as dead).
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { SOCKET_PATH_MAX } from '../state/records/paths.js';
import type { ParentSpec } from '../state/records/spec.js';
import { openParentProbe } from './parent-probe.js';

export interface ParentWatch {
  close(): void;
}

/** While a lifeline is held its closing reports a death at once; the PID watch is then only a backstop (for a
 *  lifeline fd that outlives its holder), slow so that a held watcher sleeps: 12 wake-ups a minute. */
const HELD_POLL_MS = 5000;

// Listen on the lifeline socket; a client that sent "hold" and then disconnects means the parent is gone.
function listenLifeline(path: string, onGone: (reason: string) => void, onHold: () => void): Promise<Server> {
  // Node truncates a longer path silently and listens somewhere else; the launcher refuses such a state dir up front.
  const bytes = Buffer.byteLength(path);
  if (bytes > SOCKET_PATH_MAX) {
    const why = `the lifeline socket ${path} is ${bytes} bytes, over the ${SOCKET_PATH_MAX}-byte limit`;
    return Promise.reject(new Error(`${why}; use a shorter state dir (QUICKDB_WATCHER_STATE)`));
  }
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let holding = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (!holding && chunk.includes('hold')) {
        holding = true;
        socket.write('held\n');
        onHold();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (holding) onGone('lifeline closed');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

// Watch the parent by pid (every pollMs) and by lifeline when asked; onGone fires at most once.
export async function watchParent(
  parent: ParentSpec | null,
  lifelinePath: string,
  pollMs: number,
  onGone: (reason: string) => void,
): Promise<ParentWatch> {
  let fired = false;
  const fire = (reason: string): void => {
    if (fired) return;
    fired = true;
    onGone(reason);
  };
  const probe = parent ? openParentProbe(parent) : null;
  const check = (): void => {
    const gone = probe?.check();
    if (gone) fire(`parent ${gone}`);
  };
  let timer = parent ? setInterval(check, pollMs) : null;
  const slowDown = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(check, Math.max(pollMs, HELD_POLL_MS));
  };
  let lifeline: Server | null = null;
  try {
    if (parent?.lifeline) lifeline = await listenLifeline(lifelinePath, fire, slowDown);
  } catch (cause) {
    if (timer) clearInterval(timer);
    probe?.close();
    throw cause;
  }
  check();
  return {
    close(): void {
      if (timer) clearInterval(timer);
      probe?.close();
      lifeline?.close();
      rmSync(lifelinePath, { force: true });
    },
  };
}
