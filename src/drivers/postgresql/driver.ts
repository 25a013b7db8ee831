// The `postgresql` driver (the default): a throwaway cluster from a snapshot or initdb, on a private socket.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError } from '../../errors.js';
import { generatePassword, makeSocketDir, resolvePort } from '../network.js';
import { chooseServiceUser, grantTraversal } from '../service-user.js';
import { createDataDir, describeOrigin } from '../snapshots/obtain.js';
import type { Driver, DriverContext, DriverOptions, DriverPlan } from '../types.js';
import { findPgBinaries, readPgVersion } from './binaries.js';
import { buildPgConnection } from './connection.js';
import { buildInitdbArgs, runInitdb } from './init.js';
import { setPgPassword, writePgHba } from './password.js';
import { buildPgSettingArgs, checkPgArgs, checkPgSettings } from './settings.js';

const DEFAULT_PORT = 5432;

// The listener, ours alone and last on the command line (a later setting would win): the private socket dir, and
// TCP on the loopback only when a port was asked for.
function buildPgListener(socketDir: string, socketPort: number, port: number | undefined): string[] {
  const listen = `listen_addresses=${port === undefined ? '' : '127.0.0.1'}`;
  return ['-k', socketDir, '-p', String(socketPort), '-c', listen];
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
  writePgHba(pgdata, user);
  const port = await resolvePort(ctx.options.port);
  const password = port === undefined ? null : generatePassword();
  if (password !== null) await setPgPassword(bins, pgdata, password, user);
  const socketPort = port ?? DEFAULT_PORT;
  const socketDir = makeSocketDir(ctx.stateDir, `.s.PGSQL.${socketPort}`, user);
  grantTraversal(join(socketDir, 'x'), [ctx.stateRoot], user);
  const connection = buildPgConnection(socketDir, socketPort, password);
  return {
    server: {
      argv: [
        bins.postgres,
        '-D',
        pgdata,
        ...(port === undefined ? [] : ['-c', 'password_encryption=scram-sha-256']),
        ...buildPgSettingArgs(ctx.options.settings),
        ...ctx.options.args,
        ...buildPgListener(socketDir, socketPort, port),
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
