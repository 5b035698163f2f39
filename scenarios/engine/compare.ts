/**
 * Compares what a replay observed with what its file expects, and says why they differ.
 * @packageDocumentation
 */
import type { ScenarioData } from './data';
import type { WriteRecord } from './context';
import { CHANNEL_VERSIONS, type ExpectedResult, type LoadedScenario, type ObservedResult } from './types';

/** The expected result of `version` as the file states it (`overReleases` defaulting to 0), if listed. */
export function expectedFor(data: ScenarioData, version: string): ExpectedResult | undefined {
  const e = Object.prototype.hasOwnProperty.call(data.expected, version) ? data.expected[version] : undefined;
  return e === undefined ? undefined : { leaks: e.leaks, overReleases: e.overReleases ?? 0 };
}

/** The keys of a scenario's `expected` block: the built-in versions in canonical order, then those of targets. */
export function expectationKeys(s: LoadedScenario): string[] {
  const builtin: readonly string[] = CHANNEL_VERSIONS;
  return [...s.versions, ...Object.keys((s.data as ScenarioData).expected).filter((k) => !builtin.includes(k))];
}

/** How many times a write was acknowledged: callback calls, or (without a callback) whether its future is done. */
export function acknowledgements(w: WriteRecord): number {
  return w.mode === 'none' ? (w.future.isDone() ? 1 : 0) : w.calls.length;
}

/** The result of a comparison. */
export interface Comparison {
  passed: boolean;
  mismatches: string[];
}

/**
 * Passed when leaks and over-releases are as expected, every write was acknowledged exactly once,
 * no expectation failed and no step threw. Each difference is one line of `mismatches`.
 */
export function compareResult(expected: ExpectedResult, observed: ObservedResult, writes: readonly WriteRecord[]): Comparison {
  const mismatches: string[] = [];
  if (observed.leaks !== expected.leaks) {
    mismatches.push(`leaks: expected ${expected.leaks}, observed ${observed.leaks} (${observed.leakBytes} byte(s))`);
  }
  if (observed.overReleases !== expected.overReleases) {
    mismatches.push(`over-releases: expected ${expected.overReleases}, observed ${observed.overReleases}`);
  }
  for (const w of writes) {
    const n = acknowledgements(w);
    if (n === 0) mismatches.push(`write "${w.name}" of ${w.label} was never acknowledged`);
    else if (n > 1) mismatches.push(`write "${w.name}" of ${w.label} was acknowledged ${n} times`);
  }
  mismatches.push(...observed.failedExpectations);
  if (observed.error !== undefined) mismatches.push(`error: ${observed.error}`);
  return { passed: mismatches.length === 0, mismatches };
}
