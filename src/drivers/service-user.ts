// Running a server as an unprivileged user when we are root: choosing the user, handing it dirs, letting it reach them.
import { chmodSync, lchownSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { QuickdbError } from '../errors.js';
import { isPathWithin } from '../state/files/real-path.js';

export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

// The first existing user of `names` from /etc/passwd, or null.
function findSystemUser(names: string[], passwd = '/etc/passwd'): ServiceUser | null {
  let text = '';
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return null;
  }
  const users = new Map<string, ServiceUser>();
  for (const line of text.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid)) {
      users.set(name, { name, uid: Number(uid), gid: Number(gid) });
    }
  }
  for (const n of names) {
    const u = users.get(n);
    if (u && u.uid !== 0) return u;
  }
  return null;
}

// The user a server must run as: null when we are not root, else the first of `names` that exists.
export function chooseServiceUser(engine: string, names: string[]): ServiceUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const user = findSystemUser(names);
  if (!user) {
    throw new QuickdbError(
      `${engine} must not run as root, and none of the users ${names.join(', ')} exists to run it`,
      {
        details: `Create one (for example: useradd --system ${names[0]}) or run quickdb-watcher as a normal user.`,
      },
    );
  }
  return user;
}

// Give a whole tree to the service user (no-op without one); never follows symlinks.
export function chownTree(dir: string, user: ServiceUser | null): void {
  if (!user) return;
  const walk = (path: string): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    lchownSync(path, user.uid, user.gid); // never through a link, even one swapped in after the lstat
    if (st.isDirectory()) for (const e of readdirSync(path)) walk(join(path, e));
  };
  walk(dir);
}

function canSearch(path: string, user: ServiceUser): boolean {
  const st = lstatSync(path);
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

function isInside(path: string, root: string): boolean {
  return isPathWithin(resolve(path), resolve(root));
}

// Make every dir above `path` searchable by the service user: inside our own dirs (the state root,
// the instance's data dir) by adding the search bit for others (never read); elsewhere refusing with advice.
export function grantTraversal(path: string, ownDirs: string[], user: ServiceUser | null): void {
  if (!user) return;
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if (!canSearch(dir, user)) {
      if (!ownDirs.some((own) => isInside(dir, own))) {
        throw new QuickdbError(
          `the server runs as user "${user.name}" (you are root), and that user cannot reach ${dir}`,
          {
            details: `Allow it (chmod o+x ${dir}), or set QUICKDB_WATCHER_STATE / --data-dir to a place it can reach.`,
          },
        );
      }
      chmodSync(dir, (lstatSync(dir).mode & 0o7777) | 0o001);
    }
    if (dir === '/') return;
  }
}
