// A node:test reporter for run-tests.mjs: the run's closing counts (tests, pass, fail, skipped, ...) as one JSON
// object, so the runner can state the totals of all its lanes together.
export default async function* reportCounts(source) {
  const counts = {};
  for await (const event of source) {
    if (event.type !== 'test:diagnostic' || event.data.nesting !== 0) continue;
    const count = /^(\w+) ([\d.]+)$/.exec(event.data.message);
    if (count) counts[count[1]] = Number(count[2]);
  }
  yield JSON.stringify(counts);
}
