// "Did you mean …?": the known word closest to a mistyped one, by edit distance (adjacent swaps count as one).

// The optimal-string-alignment distance between a and b: insertions, deletions, substitutions and swaps of
// two adjacent letters each cost one.
function measureEditDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

// The known word closest to `word`, or undefined when none is close enough to be what the user meant: at most
// a third of the word's letters (at least one) may differ, or the word is the start of exactly one known word.
export function suggestClosest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(lower.length / 3));
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = measureEditDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  if (best) return best.word;
  const starts = lower.length >= 2 ? known.filter((k) => k.toLowerCase().startsWith(lower)) : [];
  return starts.length === 1 ? starts[0] : undefined;
}

// "a, b or c": a list of choices as a sentence says it.
export function joinChoices(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

// "a, b and c": a list of all of them as a sentence says it.
export function joinAll(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// What was given, the closest known word if any, then all of them: `unknown driver "x"; did you mean y? drivers: …`.
export function describeUnknown(
  what: string,
  given: string,
  known: readonly string[],
  closest = suggestClosest(given, known),
): string {
  const hint = closest === undefined ? ';' : `; did you mean ${closest}?`;
  return `unknown ${what} ${JSON.stringify(given)}${hint} ${what}s: ${known.join(', ')}`;
}
