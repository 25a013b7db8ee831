// Running exec's servers and its command: all servers started together (none left when one fails), CMD run with
// their merged environment, then every server stopped; the exit code is CMD's.
import { type CheckedStart, startAllOrNone, startServer } from '../api/start.js';
import type { DriverName, Instance } from '../index.js';
import type { CliIO } from './command.js';
import { type ExecCall, prefixEnv } from './exec-servers.js';
import { instanceEnv } from './format.js';
import { runChild } from './run-child.js';

// A warning (not a failure) about a server that did not stop cleanly.
function warnStop(io: CliIO): (error: unknown) => void {
  return (error) =>
    io.err(`quickdb-watcher: warning: ${(error as Error).message}; run \`quickdb-watcher gc\` to tidy up\n`);
}

// Stop instances, warning about any that did not stop cleanly.
async function stopAll(instances: Instance[], io: CliIO): Promise<void> {
  const results = await Promise.allSettled(instances.map((instance) => instance.stop()));
  for (const result of results) if (result.status === 'rejected') warnStop(io)(result.reason);
}

// Start every server of the call (the first one as checked); if one fails, those that started are stopped and its
// error is thrown.
function startAll(call: ExecCall, first: CheckedStart<DriverName>, io: CliIO): Promise<Instance[]> {
  const starts = [first.start(), ...call.more.map((m) => startServer(m.options))];
  return startAllOrNone<Instance>(starts, warnStop(io));
}

// The command's environment: ours, then each server's variables under its prefix (QUICKDB_ID is the first one's).
function mergeEnv(call: ExecCall, instances: Instance[]): NodeJS.ProcessEnv {
  const servers = [{ options: call.options, prefix: call.prefix }, ...call.more];
  const env: NodeJS.ProcessEnv = { ...process.env };
  instances.forEach((instance, i) => {
    const server = servers[i];
    const templates = server?.options.exportEnv ?? {};
    const exported = Object.keys(templates);
    const own = instanceEnv(instance.info);
    const named = Object.fromEntries(exported.map((k) => [k, own[k] ?? '']));
    const engine = Object.fromEntries(Object.entries(own).filter(([k]) => !exported.includes(k)));
    if (i > 0 && server?.prefix === '') delete engine.QUICKDB_ID;
    Object.assign(env, prefixEnv(engine, server?.prefix ?? ''), named);
    // An empty template removes the variable, also one the caller's own environment had.
    for (const name of exported) if (templates[name] === '') delete env[name];
  });
  return env;
}

// Start the servers, run CMD, stop them; resolves with CMD's exit code.
export async function runServers(
  call: ExecCall,
  first: CheckedStart<DriverName>,
  io: CliIO,
): Promise<number> {
  const instances = await startAll(call, first, io);
  const outcome = await runChild(call.argv, mergeEnv(call, instances));
  if (outcome.problem) io.err(`quickdb-watcher: exec: ${outcome.problem}\n`);
  await stopAll(instances, io);
  return outcome.code;
}
