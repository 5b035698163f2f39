/**
 * The gate at every tracking level: counts come from the exact ledger whatever the level, so every
 * built-in scenario passes at disabled, simple, advanced and paranoid; the checks that need GC-path
 * reports or records the level does not make are skipped (listed, with the reason), not failed.
 */
import { LeakDetection, type LeakLevel } from '../../harness';
import { BUILTIN_SCENARIO_DIR, loadScenarios, replayScenario } from '../../scenarios/engine';
import { forcesCollection, skipReason, unmetBecause } from '../../scenarios/engine/levelNeeds';
import { forcedCollections } from '../../harness/tracking/gcLeaks';

const HIDDEN = 'scenarios/cases/proof/hidden-wrapper.json';
const REACHABLE = 'scenarios/cases/proof/unreleased-wrapper-keeps-buffer-reachable.json';

/** The skipped checks of one run at a level that samples 1 in 128 (simple, advanced) or none (disabled). */
function skippedAt(level: Exclude<LeakLevel, 'paranoid'>): Record<string, string[]> {
  const gc = level === 'disabled' ? 'needs GC-path reports: level disabled makes none' : `needs GC-path reports of every buffer: level ${level} samples about 1 in 128 buffers`;
  return {
    'hidden-wrapper': [`step 4 (expectGcLeaks) at ${HIDDEN}:17: ${gc}`, `step 5 (expectGcLeaks) at ${HIDDEN}:18: ${gc}`],
    'unreleased-wrapper-keeps-buffer-reachable': [`step 17 (expectGcLeaks) at ${REACHABLE}:30: ${gc}`],
  };
}

describe('the built-in scenarios at every level', () => {
  const { scenarios, errors } = loadScenarios([BUILTIN_SCENARIO_DIR]);

  it.each(['disabled', 'simple', 'advanced', 'paranoid'] as const)(
    'level %s: all 132 runs pass, with exactly the checks the level cannot decide skipped',
    async (level) => {
      expect(errors).toEqual([]);
      const failed: string[] = [];
      const skipped: Record<string, string[]> = {};
      for (const s of scenarios) {
        for (const v of s.versions) {
          const o = await replayScenario(s, v, { level });
          if (!o.passed) failed.push(`${s.name} [${v}]: ${o.mismatches.join('; ')}`);
          const list = o.observed.skippedChecks ?? [];
          if (list.length > 0) {
            expect(skipped[s.name] ?? list).toEqual(list); // the same for every version
            skipped[s.name] = list;
          }
        }
      }
      expect(failed).toEqual([]);
      expect(skipped).toEqual(level === 'paranoid' ? {} : skippedAt(level));
    },
    120_000,
  );

  it('a skipped check hides no other failure: the ledger count still fails a wrong expectation at level disabled', async () => {
    const s = scenarios.find((x) => x.name === 'hidden-wrapper')!;
    const wrong = { ...s, data: { ...(s.data as object), expected: { fixed: { leaks: 0 } } } };
    const o = await replayScenario(wrong, 'fixed', { level: 'disabled' });
    expect(o.passed).toBe(false);
    expect(o.mismatches).toEqual(['leaks: expected 0, observed 1 (100 byte(s))']);
    expect(o.observed.skippedChecks).toHaveLength(2);
  }, 60_000);
});

describe('skipReason', () => {
  const gcWithText = { step: 'expectGcLeaks', count: 1, contains: 'builtins.ts' } as const;
  const gcCount = { step: 'expectGcLeaks', count: 1 } as const;

  it('names the need and why the level lacks it', () => {
    expect(skipReason(gcWithText, { level: 'disabled', samplingInterval: 128 })).toBe('needs GC-path reports: level disabled makes none');
    expect(skipReason(gcWithText, { level: 'simple', samplingInterval: 1 })).toBe('needs records: level simple keeps none');
    expect(skipReason(gcCount, { level: 'simple', samplingInterval: 1 })).toBeUndefined();
    expect(skipReason(gcWithText, { level: 'advanced', samplingInterval: 1 })).toBeUndefined();
    expect(unmetBecause('records', { level: 'advanced', samplingInterval: 64 })).toBe('needs records of every buffer: level advanced keeps them for about 1 in 64 buffers');
    expect(skipReason(gcWithText, { level: 'paranoid', samplingInterval: 128 })).toBeUndefined();
    expect(skipReason({ step: 'expectLiveBuffers', equals: 1 }, { level: 'disabled', samplingInterval: 128 })).toBeUndefined();
  });

  it('the replay restores the level it found', async () => {
    const before = LeakDetection.level;
    const s = builtins().find((x) => x.name === 'control-direct-buffer')!;
    await replayScenario(s, 'fixed', { level: 'disabled' });
    expect(LeakDetection.level).toBe(before);
  });
});

function builtins() {
  return loadScenarios([BUILTIN_SCENARIO_DIR]).scenarios;
}

describe('forcesCollection', () => {
  it('is true exactly for the built-in scenarios with collectGarbage steps', () => {
    const { scenarios } = loadScenarios([BUILTIN_SCENARIO_DIR]);
    expect(scenarios.filter(forcesCollection).map((s) => s.name)).toEqual(['hidden-wrapper', 'unreleased-wrapper-keeps-buffer-reachable']);
  });

  it('each replay of a GC-proof scenario forces exactly one full collection, and passes', async () => {
    const forcing = loadScenarios([BUILTIN_SCENARIO_DIR]).scenarios.filter(forcesCollection);
    const counts: string[] = [];
    for (const s of forcing) {
      for (const v of s.versions) {
        const before = forcedCollections();
        const o = await replayScenario(s, v);
        counts.push(`${s.name} [${v}]: ${forcedCollections() - before} forced, ${o.passed ? 'passed' : o.mismatches.join('; ')}`);
      }
    }
    expect(counts.sort()).toEqual(
      ['hidden-wrapper', 'unreleased-wrapper-keeps-buffer-reachable'].flatMap((name) => ['fixed', 'legacy', 'regression'].map((v) => `${name} [${v}]: 1 forced, passed`)),
    );
    // Loads every built-in scenario and forces six full collections of jest's large heap: on a
    // loaded machine that took more than jest's default 5 s.
  }, 60_000);
});
