/**
 * Ratios of timed rounds. The time sections interleave their subjects round by round, so round
 * `r` of a subject and round `r` of its baseline saw the same machine: a ratio is taken per round
 * and reported as its median and its min..max, which shows the spread that one percentile hides.
 * @packageDocumentation
 */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('Expected at least one value for a median, got none');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `subject[r] / baseline[r]` for every round `r`. */
export function perRoundRatios(subject: readonly number[], baseline: readonly number[]): number[] {
  if (subject.length !== baseline.length || subject.length === 0) {
    throw new Error(`Expected as many subject rounds as baseline rounds (at least one), got ${subject.length} and ${baseline.length}`);
  }
  return subject.map((s, r) => s / baseline[r]!);
}

/** A ratio as printed: `1.23x`. */
export const formatRatio = (ratio: number): string => `${ratio.toFixed(2)}x`;

/** The spread of per-round ratios as printed: `1.10x..1.40x`. */
export function formatRange(ratios: readonly number[]): string {
  return `${formatRatio(Math.min(...ratios))}..${formatRatio(Math.max(...ratios))}`;
}
