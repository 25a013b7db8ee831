// Copying a data dir tree fast: copy-on-write reflinks where the filesystem has them, ownership kept,
// and on Linux several `cp` processes at once (creating ~1000 small files is syscall-bound).

import { chmodSync, chownSync, cpSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

interface CopyJob {
  src: string;
  destDir: string;
  weight: number;
}

function countEntries(path: string): number {
  return lstatSync(path).isDirectory() ? 1 + readdirSync(path, { recursive: true }).length : 1;
}

function makeDirLike(from: string, to: string): void {
  const st = lstatSync(from);
  mkdirSync(to, { mode: 0o700 });
  chownSync(to, st.uid, st.gid);
  chmodSync(to, st.mode & 0o7777);
}

// Split the tree into copy jobs: top-level entries, with big dirs split one level further.
function planJobs(from: string, to: string): CopyJob[] {
  const jobs: CopyJob[] = [];
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const weight = countEntries(src);
    if (entry.isDirectory() && weight > 100) {
      makeDirLike(src, join(to, entry.name));
      for (const child of readdirSync(src)) {
        jobs.push({
          src: join(src, child),
          destDir: join(to, entry.name),
          weight: countEntries(join(src, child)),
        });
      }
    } else {
      jobs.push({ src, destDir: to, weight });
    }
  }
  return jobs.sort((a, b) => b.weight - a.weight);
}

async function copyParallel(from: string, to: string): Promise<void> {
  makeDirLike(from, to);
  const buckets = Array.from({ length: Math.max(1, Math.min(4, availableParallelism())) }, () => ({
    weight: 0,
    jobs: [] as CopyJob[],
  }));
  for (const job of planJobs(from, to)) {
    const lightest = buckets.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.weight += job.weight;
    lightest.jobs.push(job);
  }
  await Promise.all(
    buckets.map(async ({ jobs }) => {
      for (const destDir of new Set(jobs.map((j) => j.destDir))) {
        const srcs = jobs.filter((j) => j.destDir === destDir).map((j) => j.src);
        await execa('cp', ['-a', '--reflink=auto', '-t', destDir, '--', ...srcs]);
      }
    }),
  );
}

// Copy `from` to the new path `to` (which must not exist), keeping modes, owners and times.
export async function cloneTree(from: string, to: string): Promise<void> {
  if (process.platform === 'linux') return copyParallel(from, to);
  if (process.platform === 'darwin') {
    const cloned = await execa('cp', ['-c', '-Rp', '--', from, to], { reject: false });
    if (cloned.exitCode === 0) return;
  }
  cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}
