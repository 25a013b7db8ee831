// Downloading a package tarball to a file of ours, checked against the registry's sha512 as it streams; a progress
// bar on a terminal.
import { createHash } from 'node:crypto';
import { closeSync, writeSync } from 'node:fs';
import { QuickdbError } from '../../../errors.js';
import { openFileExclusive } from '../../../state/files/write-file.js';
import type { Progress } from '../../snapshots/progress.js';
import type { PgPackage } from './registry.js';

/** A package bigger than this is refused (PostgreSQL's are ~30 MB). */
const MAX_BYTES = 512 * 1024 * 1024;
/** A download that sends nothing for this long is given up. */
const STALL_MS = 60_000;

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

// The bar drawn beside the task: [#####.....] 45% 12.3/27.0 MB (no total: the MB so far).
function drawBar(got: number, total: number): string {
  if (!(total > 0)) return `${mb(got)} MB`;
  const share = Math.min(1, got / total);
  const filled = Math.round(share * 20);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${Math.floor(share * 100)}% ${mb(got)}/${mb(total)} MB`;
}

// Stream the response body into fd, hashing it; the byte count and the base64 sha512.
async function streamBody(response: Response, fd: number, progress: Progress, stall: () => void) {
  const total = Number(response.headers.get('content-length') ?? 0);
  const hash = createHash('sha512');
  let got = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    stall();
    got += chunk.length;
    if (got > MAX_BYTES) throw new QuickdbError(`the download is over ${mb(MAX_BYTES)} MB; refused`);
    hash.update(chunk);
    writeSync(fd, chunk);
    progress.update(drawBar(got, total));
  }
  return { got, digest: hash.digest('base64') };
}

// Download pkg's tarball into `file` (created new) and check it against the registry's integrity hash.
export async function downloadPackage(pkg: PgPackage, file: string, progress: Progress): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const stall = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${STALL_MS / 1000} s`)), STALL_MS);
  };
  const fd = openFileExclusive(file);
  try {
    stall();
    const response = await fetch(pkg.tarball, { signal: controller.signal });
    if (!response.ok || !response.body)
      throw new QuickdbError(`${pkg.tarball} answered ${response.status} ${response.statusText}`);
    const { got, digest } = await streamBody(response, fd, progress, stall);
    if (`sha512-${digest}` !== pkg.integrity)
      throw new QuickdbError(
        `the download of ${pkg.name}@${pkg.version} (${got} bytes) does not match the registry's integrity hash; ` +
          'nothing was unpacked',
        { details: `expected ${pkg.integrity}, got sha512-${digest}` },
      );
  } finally {
    clearTimeout(timer);
    closeSync(fd);
  }
}
