// The `mariadb` driver (and its `mysql` alias): a throwaway server on a private socket and on a loopback port (a free
// one unless asked) where root needs the instance's random password, so the URL is plain TCP for every client.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAccount } from '../access.js';
import { makeSocketDir, resolvePort } from '../network.js';
import { chooseServiceUser, chownTree, grantTraversal } from '../service-user.js';
import { createDataDir, describeOrigin } from '../snapshots/obtain.js';
import { makeTlsFiles } from '../tls.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from '../types.js';
import { findMariadbBinaries } from './binaries.js';
import { buildMariadbConnection } from './connection.js';
import { buildInitArgv, INNODB_SIZING, runMariadbInit } from './init.js';
import { buildMariadbSettingArgs, checkMariadbArgs, checkMariadbSettings } from './settings.js';
import { writeAccountInit } from './tcp-root.js';

const SOCKET_NAME = 'mysqld.sock';

async function planMariadb(ctx: DriverContext, name: string): Promise<DriverPlan> {
  const bins = findMariadbBinaries(ctx.options.mysqlBin);
  const user = chooseServiceUser('MariaDB/MySQL', ['mysql', 'nobody']);
  // First: a chosen port that is taken fails before a snapshot is built or a dir is made.
  const port = (await resolvePort(ctx.options.port ?? 0)) as number;
  const datadir = join(ctx.dataDir, 'mysql');
  const tmpdir = join(ctx.dataDir, 'tmp');
  grantTraversal(datadir, [...ctx.ownRoots, ctx.dataDir], user);
  mkdirSync(tmpdir, { recursive: true, mode: 0o700 });
  chownTree(tmpdir, user);
  let origin = null;
  if (!existsSync(join(datadir, 'mysql'))) {
    origin = await createDataDir({
      driver: bins.flavor,
      version: bins.version,
      config: {
        init: buildInitArgv(bins, '<datadir>'),
        // The build run: two bin dirs of one version may hold different builds.
        server: bins.server,
        owner: user?.uid ?? process.getuid?.() ?? null,
        accounts: 'socket-only',
      },
      target: datadir,
      useSnapshot: ctx.options.snapshot,
      ...(ctx.options.migration ? { migration: ctx.options.migration } : {}),
      ...(ctx.spares ? { spares: ctx.spares } : {}),
      init: (target) => runMariadbInit(bins, target, tmpdir, user),
    });
  }
  const socketDir = makeSocketDir(ctx.stateDir, SOCKET_NAME, user);
  const socket = join(socketDir, SOCKET_NAME);
  grantTraversal(socket, [ctx.stateRoot], user);
  // A database is always named (the MariaDB connector and Prisma need one in the URL): `test`, as testcontainers and
  // mysql2's own tests default to, unless another was chosen.
  const account = resolveAccount(ctx.options.access, { user: 'root', database: 'test' });
  // Name resolution stays on: an account a suite makes for 'user'@'localhost' works from 127.0.0.1, as on a stock
  // server (root@localhost has the instance's password, so that match opens nothing).
  const tls = ctx.options.tls ? await makeTlsFiles(ctx.stateDir, user) : null;
  const ssl = tls ? [`--ssl-cert=${tls.cert}`, `--ssl-key=${tls.key}`, `--ssl-ca=${tls.cert}`] : [];
  const network = [
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--init-file=${writeAccountInit(socketDir, bins.flavor, account, user)}`,
    ...ssl,
  ];
  return {
    server: {
      argv: [
        bins.server,
        '--no-defaults',
        `--datadir=${datadir}`,
        `--socket=${socket}`,
        `--pid-file=${join(datadir, 'mysqld.pid')}`,
        `--tmpdir=${tmpdir}`,
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0',
        ...INNODB_SIZING,
        ...buildMariadbSettingArgs(ctx.options.settings),
        ...ctx.options.args,
        ...network,
      ],
      cwd: datadir,
      env: { ...(process.env as Record<string, string>), ...ctx.options.env },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      stopSignal: 'SIGTERM',
      fastStopSignal: 'SIGKILL',
    },
    ready: { kind: 'log', pattern: '(mysqld|mariadbd): ready for connections' },
    connection: buildMariadbConnection({ socket, port, ...account, tls: tls?.cert ?? null }),
    ...(origin?.refill ? { afterReady: origin.refill } : {}),
    info: {
      server: {
        engine: name,
        flavor: bins.flavor,
        version: bins.version,
        binary: bins.server,
        source: bins.source,
        ...(user ? { runAs: user.name } : {}),
        dataDir: describeOrigin(origin),
      },
    },
  };
}

function makeDriver(name: string): Driver {
  return {
    name,
    validate(options: DriverOptions): void {
      checkMariadbSettings(options.settings);
      checkMariadbArgs(options.args);
      findMariadbBinaries(options.mysqlBin);
    },
    plan: (ctx) => planMariadb(ctx, name),
  };
}

export const mariadbDriver = makeDriver('mariadb');
export const mysqlDriver = makeDriver('mysql');
