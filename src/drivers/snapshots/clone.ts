// Copying a data dir tree fast: copy-on-write reflinks where the filesystem has them, ownership kept,
// and on Linux several `cp` processes at once (creating ~1000 small files is syscall-bound).

import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

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

// Run `cp` with args; resolves when it exits 0, else rejects with its stderr (Node built-ins: execa costs tens of
// ms to load, and the clone path must not wait for that).
function runCp(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`cp ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
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
        await runCp(['-a', '--reflink=auto', '-t', destDir, '--', ...srcs]);
      }
    }),
  );
}

// Copy `from` to the new path `to` (which must not exist), keeping modes, owners and times.
export async function cloneTree(from: string, to: string): Promise<void> {
  if (process.platform === 'linux') return copyParallel(from, to);
  if (process.platform === 'darwin') {
    const cloned = await runCp(['-c', '-Rp', '--', from, to]).then(
      () => true,
      () => false,
    );
    if (cloned) return;
  }
  cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}
