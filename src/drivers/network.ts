// Where a database listens: a private unix socket dir in the instance dir, the loopback port (chosen or free), the
// per-instance password it requires (random, URL-safe, kept in 0600 files only), and the parts of every engine's URL.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { QuickdbError } from '../errors.js';
import { writeFileAtomic } from '../state/files/write-file.js';
import { pickPortBelowEphemeral } from './free-port.js';
import { findPortHolder, isPortTaken } from './port-holder.js';
import { chownTree, type ServiceUser } from './service-user.js';

/** Linux allows 108 bytes in sun_path (macOS 104) including the final NUL. */
const MAX_SOCKET_PATH = process.platform === 'darwin' ? 103 : 107;

// Create `<stateDir>/sock` (0700, owned by the service user) and check that `socketName` fits inside it.
export function makeSocketDir(stateDir: string, socketName: string, user: ServiceUser | null): string {
  const dir = join(stateDir, 'sock');
  const path = join(dir, socketName);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new QuickdbError(
      `the unix socket path ${path} is ${Buffer.byteLength(path)} bytes, over the limit of ${MAX_SOCKET_PATH}`,
      { details: 'Set QUICKDB_WATCHER_STATE to a shorter dir (such as /tmp/qdw), or use a shorter --id.' },
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownTree(dir, user);
  return dir;
}

// A TCP port that is free on 127.0.0.1 right now: below the kernel's ephemeral range (free-port.ts says why), or,
// where that range leaves no room, one the kernel picks.
async function pickFreePort(): Promise<number> {
  return (await pickPortBelowEphemeral(LOOPBACK)) ?? pickKernelPort();
}

// A port the kernel picks from its ephemeral range, free right now.
function pickKernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// The TCP port for a driver: undefined (socket only) stays undefined, 0 becomes a free port, a chosen one must be
// free (else one line naming it and who holds it, not the server's log of a failed bind).
export async function resolvePort(port: number | undefined): Promise<number | undefined> {
  if (port === undefined) return undefined;
  if (port === 0) return pickFreePort();
  if (await isPortTaken(port, LOOPBACK)) {
    const holder = findPortHolder(port);
    const by = holder ? ` (by pid ${holder.pid}${holder.name ? `, ${holder.name}` : ''})` : '';
    throw new QuickdbError(
      `port ${port} on ${LOOPBACK} is already in use${by}; use --port 0, or leave --port out, for a free port`,
    );
  }
  return port;
}

/** A new random password for one instance: 32 URL-safe characters (192 bits), nothing to escape in a URL or SQL. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

// Write a secret file that only the server's user can read (0600), replacing any old one; never follows a link.
export function writePrivateFile(path: string, text: string, user: ServiceUser | null): void {
  writeFileAtomic(path, text, { owner: user });
}

/** The host every instance's TCP listener is on. */
export const LOOPBACK = '127.0.0.1';

// The URL's user info: names and password percent-encoded, so no character of them can move the host.
export function formatUserInfo(user: string, password: string | null): string {
  const name = encodeURIComponent(user);
  return password === null ? name : `${name}:${encodeURIComponent(password)}`;
}

// What a Node client needs to verify the instance's certificate (when started after it was set).
export function buildTlsEnv(cert: string | null): Record<string, string> {
  return cert === null ? {} : { NODE_EXTRA_CA_CERTS: cert };
}
