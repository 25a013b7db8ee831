// Questions to the engine registry: which engine can do what, and the lists messages name (in prose order). Every
// question takes any string (a name read back from disk too): a name not in the registry can do nothing.
import { joinAll, joinChoices } from '../suggest.js';
import {
  type DatabaseDriverName,
  DEFAULT_DRIVER,
  type DriverName,
  type EngineOption,
  findEngine,
  type KeptClient,
  listEngines,
  listInProseOrder,
} from './registry.js';

// True when the driver has per-test databases (an admin).
export function hasPerTestDatabases(name: string): name is DatabaseDriverName {
  return Boolean(findEngine(name)?.admin);
}

// True when the driver runs migrations.
export function canMigrate(name: string): boolean {
  return findEngine(name)?.migrates === true;
}

// True when the driver's server is the argv the user gives (the command driver), not an engine of ours.
export function runsGivenArgv(name: string): boolean {
  return findEngine(name)?.givenArgv === true;
}

// True when the driver takes this engine-specific option.
export function takesOption(name: string, option: EngineOption): boolean {
  return findEngine(name)?.options.includes(option) === true;
}

// How a kept database of this driver is opened by hand, if a note says so.
export function findKeptClient(name: string): KeptClient | undefined {
  return findEngine(name)?.keptClient;
}

// The drivers with per-test databases, in prose order: postgresql, mariadb, mysql, redis.
export function listPerTestEngines(): DriverName[] {
  return listEngines((engine) => engine.admin !== null);
}

// "postgresql, mariadb, mysql and redis": the drivers with per-test databases, as a sentence lists them all.
export function describePerTestEngines(): string {
  return joinAll(listPerTestEngines());
}

// "postgresql, mariadb and mysql": the drivers that run migrations.
export function describeMigratingEngines(): string {
  return joinAll(listEngines((engine) => engine.migrates));
}

// "only postgresql takes it", "only mariadb and mysql take it": who takes an engine-specific option (`what`: it).
export function describeTakers(option: EngineOption, what = 'it'): string {
  const takers = listEngines((engine) => engine.options.includes(option));
  return `only ${joinAll(takers)} ${takers.length === 1 ? 'takes' : 'take'} ${what}`;
}

// The engines' own names of the drivers taking an option ("PostgreSQL").
export function describeTakerTitles(option: EngineOption): string {
  return joinChoices(
    listEngines((engine) => engine.options.includes(option)).map((name) => findEngine(name)?.title ?? name),
  );
}

// The driver a user of another tool meant by `given` (`pg`, `valkey`…, any case), if any.
export function findAliasTarget(given: string): DriverName | undefined {
  const lower = given.toLowerCase();
  return listEngines((engine) => engine.aliases.includes(lower))[0];
}

// "postgresql (default), mariadb, mysql, redis or command": the drivers as `up --help` offers them.
export function describeDriverChoices(): string {
  return joinChoices(
    listInProseOrder().map((name) => (name === DEFAULT_DRIVER ? `${name} (default)` : name)),
  );
}
