// The SysV IPC a test run leaves, attributed like its processes: an object counts only when a process of the sandbox
// made it or used it. The kernel records pids (a segment's creator and last attacher, a semaphore set's last
// operators), so the tables are polled through the run and each pid is judged (belongsToSandbox) while it lives.
// Another PostgreSQL on the machine, another suite's or another user's, is never the run's leak.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { belongsToSandbox } from './sandbox.mjs';

// Rows of a /proc/sysvipc table as objects keyed by its header's names (none where the table is missing).
function readTable(name) {
  let lines;
  try {
    lines = readFileSync(`/proc/sysvipc/${name}`, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
  const header = (lines.shift() ?? '').trim().split(/\s+/);
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    return Object.fromEntries(header.map((h, i) => [h, Number(cols[i])]));
  });
}

// The pids that last operated on each semaphore of a set (ipcs -s -i; 0 for one never operated on).
function readSemPids(semid) {
  const out = spawnSync('ipcs', ['-s', '-i', String(semid)], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  return (out.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length === 5 && cols.every((c) => /^\d+$/.test(c)))
    .map((cols) => Number(cols[4]));
}

/** How often a semaphore set whose times keep changing is asked for its pids again (ipcs is a process). */
const SEM_RECHECK_MS = 1000;

// Watch the SysV tables for objects the sandbox `base` makes; `stop()` gives those still present, as leak lines.
export function watchIpc(base, everyMs = 50) {
  const judged = new Set(); // "kind id pid": each pid is judged once per object
  const ours = new Map(); // "shm id" or "sem id" -> what it was when attributed
  const semSeen = new Map(); // sem id -> { stamp, at }: when its pids were last read
  const attribute = (kind, row, id, pids, how) => {
    for (const pid of pids) {
      const key = `${kind} ${id} ${pid}`;
      if (pid <= 0 || judged.has(key)) continue;
      judged.add(key);
      if (belongsToSandbox(pid, base)) ours.set(`${kind} ${id}`, { ...row, how: `${how} pid ${pid}` });
    }
  };
  const poll = () => {
    for (const row of readTable('shm')) {
      if (!ours.has(`shm ${row.shmid}`))
        attribute('shm', row, row.shmid, [row.cpid, row.lpid], 'made or used by');
    }
    const now = Date.now();
    for (const row of readTable('sem')) {
      const stamp = `${row.otime} ${row.ctime}`;
      const seen = semSeen.get(row.semid);
      if (ours.has(`sem ${row.semid}`) || (seen && (seen.stamp === stamp || now - seen.at < SEM_RECHECK_MS)))
        continue;
      semSeen.set(row.semid, { stamp, at: now });
      attribute('sem', row, row.semid, readSemPids(row.semid), 'operated on by');
    }
  };
  poll();
  const timer = setInterval(poll, everyMs).unref();
  return {
    /** The ids attributed to the sandbox so far, as "shm ID" and "sem ID". */
    attributed: () => [...ours.keys()],
    /** Stop watching; the attributed objects still present (same id and key, and a segment's same creator), as
     *  leak lines. */
    stop() {
      clearInterval(timer);
      poll();
      const now = new Map([
        ...readTable('shm').map((r) => [`shm ${r.shmid}`, r]),
        ...readTable('sem').map((r) => [`sem ${r.semid}`, r]),
      ]);
      return [...ours].flatMap(([id, then]) => {
        const row = now.get(id);
        if (!row || row.key !== then.key || row.cpid !== then.cpid) return [];
        const attached = id.startsWith('shm') ? `, ${row.nattch} attached` : '';
        return [`${id} (key ${row.key}, ${then.how}${attached})`];
      });
    },
  };
}
