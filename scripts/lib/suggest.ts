/**
 * "Did you mean" for a mistyped name (an option, a subcommand): the nearest known name, when it is
 * close enough to be a typo.
 * @packageDocumentation
 */

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    row = next;
  }
  return row[b.length]!;
}

/** `, did you mean \`merge\`?` when one of `known` is within 2 edits of `name`, else `''`. */
export function suggestion(name: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= 2 ? `, did you mean \`${best.k}\`?` : '';
}
