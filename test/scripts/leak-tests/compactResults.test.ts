/** The run's results kept as JSON text: what goes in comes out, changes included, in order. */
import { CompactResults } from '../../../scripts/leak-tests/compactResults';
import type { RunResult } from '../../../scripts/leak-tests/report';

function result(index: number, scenario: string): RunResult {
  return {
    index,
    scenario,
    kind: 'bug',
    file: `scenarios/cases/bug/${scenario}.json`,
    version: 'fixed',
    passed: true,
    expected: { leaks: 0, overReleases: 0 },
    observed: { leaks: 0, leakBytes: 0, overReleases: 0, unacknowledgedWrites: 0, doubleAcknowledgedWrites: 0, failedExpectations: [] },
    mismatches: [],
    location: { file: `scenarios/cases/bug/${scenario}.json`, line: 3 },
    report: { scope: scenario } as unknown as RunResult['report'],
    gcLeaks: [],
    openHandles: [],
    durationMs: 1.5,
  };
}

describe('CompactResults', () => {
  it('gives back every result, equal to what was set, in the order they were set', () => {
    const results = new CompactResults();
    const a = result(4, 'a');
    const b = result(1, 'b');
    results.set(a);
    results.set(b);
    expect(results.values()).toEqual([a, b]);
    expect(results.values()[0]).not.toBe(a); // copies: the originals can be collected
  });

  it('applies a change to the result of an index, and says false for an index it does not hold', () => {
    const results = new CompactResults();
    results.set(result(2, 'c'));
    expect(results.update(2, (r) => {
      r.passed = false;
      r.mismatches.push('left a Timeout handle open');
    })).toBe(true);
    expect(results.update(3, () => {
      throw new Error('not called');
    })).toBe(false);
    expect(results.values().map((r) => [r.index, r.passed, r.mismatches])).toEqual([[2, false, ['left a Timeout handle open']]]);
  });
});
