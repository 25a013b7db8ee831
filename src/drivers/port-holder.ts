// Who holds a loopback TCP port: a trial listen says whether it is taken, /proc says (on Linux) which process
// listens there, as far as we may see (our own processes, or all as root).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** The most processes read when looking for a port's holder (an error path, kept cheap on a busy machine). */
const MAX_PROCESSES = 5000;

// True when a listener on host:port is refused because something else listens there (other errors are the
// server's to meet).
export function isPortTaken(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

// The socket inodes listening on a TCP port, from /proc/net/tcp and tcp6 (empty where there is no /proc).
function readListeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {}
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex, st 0A is LISTEN, the inode is the tenth field.
      if (f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A' && /^[1-9]\d*$/.test(f[9] ?? ''))
        inodes.add(f[9] as string);
    }
  }
  return inodes;
}

// A process name read from /proc as untrusted text: printable ASCII only.
function readProcessName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8')
      .trim()
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 16);
  } catch {
    return '';
  }
}

// The first process (lowest pid) we can see holding a listening socket on `port`, or null.
export function findPortHolder(port: number): { pid: number; name: string } | null {
  const inodes = readListeningInodes(port);
  if (inodes.size === 0) return null;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^[1-9]\d*$/.test(d));
  } catch {}
  pids.sort((a, b) => Number(a) - Number(b));
  for (const pid of pids.slice(0, MAX_PROCESSES)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {}
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {}
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(pid), name: readProcessName(pid) };
    }
  }
  return null;
}
