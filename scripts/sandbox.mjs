// Which processes belong to a test run's sandbox dir: the leak audit looks at those and nothing else.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function readOr(path, encoding = 'utf8') {
  try {
    return readFileSync(path, encoding);
  } catch {
    return '';
  }
}

// True when a process belongs to this run's sandbox: it names the sandbox in its argv, environment, cwd or open
// files. A developer's own instances (or anyone else's `db-quick-watcher`) are not ours to audit.
export function belongsToSandbox(pid, base) {
  if (
    readOr(`/proc/${pid}/cmdline`).includes(base) ||
    readOr(`/proc/${pid}/environ`, 'latin1').includes(base)
  )
    return true;
  try {
    if (readlinkSync(`/proc/${pid}/cwd`).startsWith(base)) return true;
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(base);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
