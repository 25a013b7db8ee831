// The engine registry answers every question for every engine, consistently; the CLI, exec and the messages take their
// lists from it; and no code outside src/drivers/ decides by comparing with an engine's name.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseCli } from '../../dist/cli/main.js';
import {
  canMigrate,
  describePerTestEngines,
  findAliasTarget,
  hasPerTestDatabases,
  listPerTestEngines,
  runsGivenArgv,
  takesOption,
} from '../../dist/drivers/capabilities.js';
import {
  type DatabaseDriverName,
  type DriverName,
  describeEnvFamily,
  type EngineOption,
  findEngine,
  listDriverNames,
  loadDriver,
} from '../../dist/drivers/registry.js';
import type { DatabaseDriverName as PublicDatabaseDriverName } from '../../dist/index.js';
import { joinChoices } from '../../dist/suggest.js';
import { ROOT } from '../helpers/env.js';

const OPTIONS: EngineOption[] = ['pgBin', 'pgHba', 'pgVersion', 'mysqlBin', 'redisBin'];

// The public type is the registry's: every name with per-test databases, and no other (checked by tsc on tests).
const PER_TEST: PublicDatabaseDriverName[] = ['postgresql', 'mariadb', 'mysql', 'redis'];
// @ts-expect-error a command has no per-test databases
const NOT_PER_TEST: DatabaseDriverName = 'command';

test('every engine answers every capability, consistently', async () => {
  const names = listDriverNames();
  assert.deepEqual(names, ['command', 'postgresql', 'redis', 'mariadb', 'mysql']);
  for (const name of names) {
    const engine = findEngine(name);
    assert.ok(engine, name);
    assert.equal((await loadDriver(name)).name, name, `${name}: its driver says its own name`);
    assert.equal(hasPerTestDatabases(name), engine.admin !== null, name);
    assert.equal(engine.unit !== null, hasPerTestDatabases(name), `${name}: a unit iff per-test databases`);
    if (canMigrate(name)) assert.ok(hasPerTestDatabases(name), `${name} migrates, so it needs an admin`);
    if (runsGivenArgv(name)) assert.ok(!hasPerTestDatabases(name), `${name} runs any argv: no admin`);
    assert.match(describeEnvFamily(name), /^\S.* \(.+\)$/, `${name}: exec can name its variables`);
    assert.ok(engine.title.length > 0, name);
    for (const alias of engine.aliases) {
      assert.equal(findAliasTarget(alias.toUpperCase()), name, `${alias} means ${name}`);
      assert.ok(!names.includes(alias as DriverName), `${alias} is an alias, not a name`);
    }
  }
  const perTest = names.filter((name) => hasPerTestDatabases(name));
  assert.deepEqual([...listPerTestEngines()].sort(), [...PER_TEST].sort());
  assert.deepEqual([...perTest].sort(), [...PER_TEST].sort());
  assert.equal(NOT_PER_TEST, 'command');
  for (const option of OPTIONS)
    assert.ok(
      names.some((name) => takesOption(name, option)),
      `some engine takes ${option}`,
    );
});

test('names not in the registry can do nothing, inherited ones included', () => {
  for (const name of ['oracle', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '']) {
    assert.equal(findEngine(name), undefined, name);
    assert.deepEqual(
      [hasPerTestDatabases(name), canMigrate(name), runsGivenArgv(name), takesOption(name, 'pgBin')],
      [false, false, false, false],
      name,
    );
    assert.equal(findAliasTarget(name), undefined, name);
  }
});

test("up --help offers the registry's drivers, the default first", async () => {
  let help = '';
  await parseCli(
    ['up', '--help'],
    () => 4242,
    (text) => (help += text),
  );
  const line = /^ {2}driver +(.+?) +\[string\]$/m.exec(help)?.[1] ?? '';
  const offered = line.replace(' (default)', '').split(/, | or /);
  assert.deepEqual([...offered].sort(), [...listDriverNames()].sort(), help);
  assert.ok(line.startsWith('postgresql (default), '), line);
});

test("the type-level message of a command instance's per-test databases lists the registry's engines", () => {
  const source = readFileSync(join(ROOT, 'src/start/instance.ts'), 'utf8');
  const list = joinChoices(listPerTestEngines());
  assert.ok(source.includes(`'per-test databases need the ${list} driver'`), list);
  assert.equal(describePerTestEngines(), 'postgresql, mariadb, mysql and redis');
});

/** Where code outside src/drivers/ may name an engine in a comparison or a table, and why. */
const ALLOWED: Record<string, string> = {
  'src/launch/record-connection.ts':
    'CONNECTION_CHECKS is typed Record<DriverName, …>: an engine added without its check is a type error',
};

// A pattern for code deciding by one of `names`: comparing with it, testing membership (or keying a table by it).
function matchDecisions(names: readonly string[], keys: boolean): RegExp {
  const literal = `'(?:${names.join('|')})'`;
  const key = `^\\s*(?:${names.join('|')}|${literal})\\s*:`;
  return new RegExp(
    [
      `[!=]==\\s*${literal}`,
      `${literal}\\s*[!=]==`,
      `extends\\s*\\[?${literal}`,
      `case\\s+${literal}`,
      `includes\\(${literal}\\)`,
      `${literal}\\s+in\\b`,
      ...(keys ? [key] : []),
    ].join('|'),
  );
}

// The lines of code (comments dropped) that decide by an engine's name. `command` is also a migration's kind and a
// CLI word (`command: 'up [driver]'`): it counts in a comparison on a line that speaks of a driver (or `extends`).
function findNameDecisions(text: string): string[] {
  const engines = matchDecisions(
    listDriverNames().filter((name) => name !== 'command'),
    true,
  );
  const command = matchDecisions(['command'], false);
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return code
    .split('\n')
    .filter((line) => engines.test(line) || (command.test(line) && /driver|extends/i.test(line)));
}

test('no code outside src/drivers/ decides by comparing with an engine name', () => {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = relative(ROOT, join(entry.parentPath, entry.name));
    if (file.startsWith('src/drivers/') || Object.hasOwn(ALLOWED, file)) continue;
    for (const line of findNameDecisions(readFileSync(join(ROOT, file), 'utf8')))
      found.push(`${file}: ${line}`);
  }
  assert.deepEqual(found, []);
  // The check itself finds what it is for.
  const decisions =
    "if (driver === 'redis') x();\nconst T = {\n  mysql: f,\n};\ntype U<D> = D extends 'command' ? 1 : 2;";
  assert.equal(findNameDecisions(decisions).length, 3);
  assert.equal(findNameDecisions("// driver === 'redis'\nif (migration.kind === 'command') x();").length, 0);
});
