// Scratch trees that hold real mounts (tmpfs, bind): unmounted before removal, even when the test fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { testBase } from '../helpers/env.js';

export interface MountScratch {
  dir: string;
  /** Mount a tmpfs at `path` (created), or bind-mount `source` there. */
  mount(path: string, source?: string): void;
}

// True when this process may mount (root on Linux).
export function canMount(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0;
}

// True when `path` is a mount point in this mount namespace.
function isMounted(path: string): boolean {
  const escaped = path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === escaped);
}

// A scratch dir whose mounts are all undone (innermost first) before the dir is removed, after the test.
export function mountScratch(t: TestContext): MountScratch {
  const dir = mkdtempSync(join(testBase(), 'mounts-'));
  const mounted: string[] = [];
  t.after(() => {
    for (const path of mounted.reverse()) {
      while (isMounted(path)) execFileSync('umount', [path]);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    mount(path, source) {
      mkdirSync(path, { recursive: true });
      mounted.push(path);
      if (source) execFileSync('mount', ['--bind', source, path]);
      else execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', path]);
    },
  };
}
