// The `postgresql` driver (the default): a throwaway cluster from a snapshot or initdb, on a private socket and a
// loopback port that wants the instance's password.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError } from '../../errors.js';
import { resolveAccount } from '../access.js';
import { makeSocketDir, resolvePort } from '../network.js';
import { chooseServiceUser, grantTraversal } from '../service-user.js';
import { createDataDir, describeOrigin } from '../snapshots/obtain.js';
import { makeTlsFiles, type TlsFiles } from '../tls.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from '../types.js';
import { findPgBinaries, readPgVersion } from './binaries.js';
import { buildPgConnection } from './connection.js';
import { buildInitdbArgs, PG_DATABASE, PG_USER, runInitdb } from './init.js';
import { preparePgAccess, writePgHba } from './password.js';
import { buildPgSettingArgs, checkPgArgs, checkPgSettings } from './settings.js';

// The listener, ours alone and last on the command line (a later setting would win): the private socket dir, the
// loopback port, and TLS on it with the instance's certificate.
function buildPgListener(socketDir: string, port: number, tls: TlsFiles | null, tcp: boolean): string[] {
  const ssl = tls ? ['ssl=on', `ssl_cert_file=${tls.cert}`, `ssl_key_file=${tls.key}`] : [];
  const settings = [`listen_addresses=${tcp ? '127.0.0.1' : ''}`, ...ssl].flatMap((s) => ['-c', s]);
  return ['-k', socketDir, '-p', String(port), ...settings];
}

function validatePostgresql(options: DriverOptions): void {
  checkPgSettings(options.settings);
  checkPgArgs(options.args);
  findPgBinaries(options.pgBin);
}

async function planPostgresql(ctx: DriverContext): Promise<DriverPlan> {
  const bins = findPgBinaries(ctx.options.pgBin);
  const version = readPgVersion(bins);
  const user = chooseServiceUser('PostgreSQL', ['postgres', 'nobody']);
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
      ...(ctx.spareRoot ? { spareRoot: ctx.spareRoot } : {}),
      init: (target) => runInitdb(bins, target, user),
    });
  }
  // After the snapshot was saved (it never holds an instance's password), before the server can listen.
  const tcp = ctx.options.tcp ?? true;
  const access = tcp ? ctx.options.access : ({ auth: 'trust' } as const);
  const account = resolveAccount(access, { user: PG_USER, database: PG_DATABASE });
  const pgAccount = { ...account, database: account.database ?? PG_DATABASE };
  writePgHba(pgdata, pgAccount, user);
  await preparePgAccess(bins, pgdata, pgAccount, user);
  const port = (await resolvePort(ctx.options.port ?? 0)) as number;
  const socketDir = makeSocketDir(ctx.stateDir, `.s.PGSQL.${port}`, user);
  grantTraversal(join(socketDir, 'x'), [ctx.stateRoot], user);
  const tls = ctx.options.tls ? await makeTlsFiles(ctx.stateDir, user) : null;
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
        ...buildPgSettingArgs(ctx.options.settings),
        ...ctx.options.args,
        ...buildPgListener(socketDir, port, tls, tcp),
      ],
      cwd: pgdata,
      env: { ...(process.env as Record<string, string>), ...ctx.options.env, LC_ALL: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      stopSignal: 'SIGINT',
      fastStopSignal: 'SIGQUIT',
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
