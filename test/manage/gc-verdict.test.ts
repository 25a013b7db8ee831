// gc's verdict is a pure step: the same view and dir facts give the same answer, in the order the rules are written
// (a refused record is never acted on; a live watcher or backstop is never touched; a launch is waited for).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DirFacts, judgeInstance } from '../../dist/manage/gc-verdict.js';
import type { InstanceView } from '../../dist/manage/inventory.js';
import type { Status } from '../../dist/state/records/status.js';

const NO_FACTS: DirFacts = { empty: false, halfRemoved: false, launcher: 'unknown' };

// A view with only the fields the verdict reads set; the rest as an instance nobody is running.
function view(over: Partial<InstanceView> & { phase?: string; kept?: boolean }): InstanceView {
  const status =
    over.phase === undefined
      ? null
      : ({ phase: over.phase, dataDir: { state: over.kept ? 'kept' : 'deleted' } } as unknown as Status);
  return {
    id: 'abc',
    stateDir: '/nonexistent',
    spec: null,
    status,
    driver: 'postgresql',
    backend: 'detached',
    phase: over.phase ?? 'unknown',
    watcherPid: null,
    watcherAlive: false,
    finisherAlive: false,
    serverPid: null,
    serverAlive: false,
    parentPid: null,
    parentAlive: null,
    dataDir: null,
    dataOn: null,
    server: null,
    ageMs: 0,
    containment: null,
    error: null,
    problem: null,
    ...over,
  } as InstanceView;
}

const ROWS: [string, InstanceView, DirFacts, string][] = [
  [
    'a refused record, even with its watcher gone',
    view({ problem: 'bad spec', phase: 'ready' }),
    NO_FACTS,
    'refused',
  ],
  ['a live watcher', view({ phase: 'ready', watcherAlive: true }), NO_FACTS, 'busy'],
  ['a backstop at work', view({ phase: 'stopping', finisherAlive: true }), NO_FACTS, 'busy'],
  ['prepared by generate', view({ phase: 'prepared' }), NO_FACTS, 'prepared'],
  ['an empty dir', view({}), { ...NO_FACTS, empty: true }, 'empty'],
  ['a half-removed dir', view({}), { ...NO_FACTS, halfRemoved: true }, 'half-removed'],
  [
    'watcher files without a spec, but a live launcher (the early watcher log before the spec)',
    view({}),
    { ...NO_FACTS, halfRemoved: true, launcher: 'alive' },
    'launching',
  ],
  [
    'a launch whose launcher runs',
    view({ ageMs: 10 * 60_000 }),
    { ...NO_FACTS, launcher: 'alive' },
    'launching',
  ],
  ['a young launch with no launcher on record', view({ ageMs: 1000 }), NO_FACTS, 'launching'],
  ['an old launch with no launcher on record', view({ ageMs: 61_000 }), NO_FACTS, 'unfinished'],
  ['a launch whose launcher is gone', view({ ageMs: 0 }), { ...NO_FACTS, launcher: 'gone' }, 'unfinished'],
  ['a dead watcher mid-run', view({ phase: 'ready' }), NO_FACTS, 'unfinished'],
  ['finished, data kept', view({ phase: 'done', kept: true }), NO_FACTS, 'kept'],
  ['finished, data deleted', view({ phase: 'done' }), NO_FACTS, 'finished'],
];

for (const [name, v, facts, kind] of ROWS)
  test(`gc verdict: ${name} -> ${kind}`, () => {
    assert.equal(judgeInstance(v, facts).kind, kind);
    assert.deepEqual(
      judgeInstance(v, facts),
      judgeInstance(v, facts),
      'the same input gives the same verdict',
    );
  });

test('gc verdict: the launch grace is the caller’s to set', () => {
  assert.equal(judgeInstance(view({ ageMs: 1000 }), NO_FACTS, 500).kind, 'unfinished');
});
