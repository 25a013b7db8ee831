// The `postgresql` driver (the default): a throwaway cluster from a snapshot or initdb, on a private socket and a
// loopback port that wants the instance's password.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError } from '../../errors.js';
import { resolveAccount } from '../access.js';
import { makeSocketDir, resolvePort, writePrivateFile } from '../network.js';
import { chooseServiceUser, grantTraversal } from '../service-user.js';
import { createDataDir, describeOrigin } from '../snapshots/obtain.js';
import { makeTlsFiles, type TlsFiles } from '../tls.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from '../types.js';
import { findPgBinaries, resolvePgBinaries } from './binaries.js';
import { buildPgConnection } from './connection.js';
import { checkPgHba } from './hba.js';
import { buildInitdbArgs, PG_DATABASE, PG_USER, runInitdb } from './init.js';
import { preparePgAccess, writePgHba } from './password.js';
import { readPgVersion } from './server-version.js';
import { buildPgConfig, checkPgArgs, checkPgSettings } from './settings.js';

/** Where the listener and its auth come from, pinned on the command line, which outranks every config file:
 *  neither ALTER SYSTEM (postgresql.auto.conf, also one saved in a migrated snapshot) nor a reload can change them. */
interface PgListener {
  pgdata: string;
  config: string;
  socketDir: string;
  port: number;
  tls: TlsFiles | null;
  tcp: boolean;
}

// The listener, ours alone and last on the command line (a later setting would win): our config file, our hba and
// ident files, the private socket dir, the loopback port, and TLS on it (or off) with the instance's certificate.
function buildPgListener(l: PgListener): string[] {
  const ssl = l.tls ? ['ssl=on', `ssl_cert_file=${l.tls.cert}`, `ssl_key_file=${l.tls.key}`] : ['ssl=off'];
  const settings = [
    `config_file=${l.config}`,
    `hba_file=${join(l.pgdata, 'pg_hba.conf')}`,
    `ident_file=${join(l.pgdata, 'pg_ident.conf')}`,
    `listen_addresses=${l.tcp ? '127.0.0.1' : ''}`,
    'unix_socket_permissions=0700',
    'unix_socket_group=',
    ...ssl,
  ];
  return ['-k', l.socketDir, '-p', String(l.port), ...settings.flatMap((s) => ['-c', s])];
}

function validatePostgresql(options: DriverOptions): void {
  checkPgSettings(options.settings);
  checkPgHba(options.pgHba, options.access.auth);
  checkPgArgs(options.args);
  // A requested version is found (or fetched) by the plan; without one, a missing PostgreSQL fails here, first.
  if (options.pgBin !== undefined || options.pgVersion === undefined) findPgBinaries(options.pgBin);
}

async function planPostgresql(ctx: DriverContext): Promise<DriverPlan> {
  const bins = await resolvePgBinaries(ctx.options.pgBin, ctx.options.pgVersion);
  const version = readPgVersion(bins.postgres);
  const user = chooseServiceUser('PostgreSQL', ['postgres', 'nobody']);
  if (bins.keptIn) grantTraversal(bins.postgres, [bins.keptIn], user);
  // First: a chosen port that is taken fails before a snapshot is built or a dir is made.
  const port = (await resolvePort(ctx.options.port ?? 0)) as number;
  const pgdata = join(ctx.dataDir, 'pgdata');
  grantTraversal(pgdata, [...ctx.ownRoots, ctx.dataDir], user);
  let origin = null;
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (existsSync(pgdata)) {
      throw new QuickdbError(
        `${pgdata} exists but holds no cluster (no PG_VERSION); remove it or start afresh`,
      );
    }
    origin = await createDataDir({
      driver: 'postgresql',
      version,
      config: { initdb: buildInitdbArgs(), bin: bins.dir, owner: user?.uid ?? process.getuid?.() ?? null },
      target: pgdata,
      useSnapshot: ctx.options.snapshot,
      ...(ctx.options.migration ? { migration: ctx.options.migration } : {}),
      ...(ctx.spares ? { spares: ctx.spares } : {}),
      init: (target) => runInitdb(bins, target, user),
    });
  }
  // After the snapshot was saved (it never holds an instance's password), before the server can listen.
  const tcp = ctx.options.tcp ?? true;
  const access = tcp ? ctx.options.access : ({ auth: 'trust' } as const);
  const account = resolveAccount(access, { user: PG_USER, database: PG_DATABASE });
  const pgAccount = { ...account, database: account.database ?? PG_DATABASE };
  writePgHba(pgdata, pgAccount, ctx.options.pgHba, user);
  await preparePgAccess(bins, pgdata, pgAccount, user);
  const socketDir = makeSocketDir(ctx.stateDir, `.s.PGSQL.${port}`, user);
  grantTraversal(join(socketDir, 'x'), [ctx.stateRoot], user);
  const tls = ctx.options.tls ? await makeTlsFiles(ctx.stateDir, user) : null;
  // Beside the socket (a dir of the server's user, reachable by it): our config file for this start.
  const config = join(socketDir, 'postgresql.conf');
  writePrivateFile(config, buildPgConfig(pgdata, ctx.options.settings), user);
  const connection = buildPgConnection({
    ...pgAccount,
    port,
    tls: tls?.cert ?? null,
    ...(tcp ? {} : { socketDir }),
  });
  return {
    server: {
      argv: [
        bins.postgres,
        '-D',
        pgdata,
        ...ctx.options.args,
        ...buildPgListener({ pgdata, config, socketDir, port, tls, tcp }),
      ],
      cwd: pgdata,
      env: { ...(process.env as Record<string, string>), ...ctx.options.env, LC_ALL: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      stopSignal: 'SIGINT',
      fastStopSignal: 'SIGQUIT',
      // A SIGKILLed postmaster leaves its SysV segment; the key and id it recorded let the cleanup remove it.
      shmRecord: 'pgdata/postmaster.pid',
    },
    ready: { kind: 'log', pattern: 'database system is ready to accept connections' },
    connection,
    ...(origin?.refill ? { afterReady: origin.refill } : {}),
    info: {
      server: {
        engine: 'postgresql',
        version,
        binary: bins.postgres,
        source: bins.source,
        ...(user ? { runAs: user.name } : {}),
        dataDir: describeOrigin(origin),
      },
    },
  };
}

export const postgresqlDriver: Driver = {
  name: 'postgresql',
  validate: validatePostgresql,
  plan: planPostgresql,
};
