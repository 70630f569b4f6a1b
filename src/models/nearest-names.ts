/**
 * Levenshtein distance between two strings (insertions, deletions and
 * substitutions each cost 1).
 * @internal
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/**
 * Up to `count` of `names` nearest to `name` by case-insensitive edit
 * distance (ties keep the order of `names`), leaving out names so far that
 * they share little with it: at most half the longer name's length away.
 * @internal
 */
export function nearestNames(name: string, names: readonly string[], count: number): string[] {
  const key = name.toLowerCase();
  return names
    .map((n, i) => ({ n, i, d: editDistance(key, n.toLowerCase()) }))
    .filter(({ n, d }) => d <= Math.max(2, Math.ceil(Math.max(n.length, key.length) / 2)))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, count)
    .map(({ n }) => n);
}

/**
 * `did you mean "a", "b"? ` for the up to `count` names nearest to `name`
 * ({@link nearestNames}), or `''` when none is near: the hint of an
 * unknown-name error.
 * @internal
 */
export function didYouMean(name: string, names: readonly string[], count: number): string {
  const near = nearestNames(name, names, count);
  return near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(', ')}? ` : '';
}
