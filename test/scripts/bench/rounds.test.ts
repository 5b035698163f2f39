import { formatRange, formatRatio, median, perRoundRatios } from '../../../scripts/bench/lib/rounds';

describe('per-round ratios', () => {
  test('median: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow('Expected at least one value for a median, got none');
  });

  test('median does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  test('round r of the subject over round r of the baseline', () => {
    expect(perRoundRatios([10, 30, 12], [5, 10, 12])).toEqual([2, 3, 1]);
  });

  test('rounds that do not pair up are refused', () => {
    expect(() => perRoundRatios([1, 2], [1])).toThrow('Expected as many subject rounds as baseline rounds (at least one), got 2 and 1');
    expect(() => perRoundRatios([], [])).toThrow('Expected as many subject rounds as baseline rounds (at least one), got 0 and 0');
  });

  test('printed as 1.23x and min..max', () => {
    expect(formatRatio(1.2345)).toBe('1.23x');
    expect(formatRange([1.3, 1.104, 1.9, 1.5])).toBe('1.10x..1.90x');
  });
});
