/**
 * A fake scenario engine for the runner's unit tests: scenarios and outcomes are chosen by the
 * test, so every runner path (pass, fail, engine error, uncaught error, open handle) is reachable
 * without the real engine.
 */
import { summaryLine, type LeakReport } from '../../harness';
import type { ChannelVersion, LoadedScenario, ReplayOutcome, ScenarioEngine, ScenarioLoadError } from '../../scripts/leak-tests/engine';
import { computeTotals, REPORT_FORMAT, REPORT_VERSION, type LeakTestsReport, type ScenarioRow } from '../../scripts/leak-tests/report';
import { toRunResult } from '../../scripts/leak-tests/run';

/** A loaded scenario with `versions`, in file `dir/<name>.json`. */
export function scenario(name: string, versions: ChannelVersion[] = ['fixed', 'legacy', 'regression'], kind: LoadedScenario['kind'] = 'bug'): LoadedScenario {
  return { file: `cases/${kind}/${name}.json`, name, kind, description: `the ${name} case`, versions, data: {}, stepLines: [7, 12, 15] };
}

/** A leak report with `leaks` direct-wrapper leaks of 100 bytes made at step 1 of `file`. */
export function leakReport(scope: string, leaks: number, file = 'cases/bug/x.json'): LeakReport {
  const buffers = Array.from({ length: leaks }, (_, i) => ({
    id: 10 + i,
    kind: 'direct-wrapper' as const,
    capacity: 100,
    refCnt: 1,
    ownsMemory: false,
    createdAt: [{ fn: 'Unpooled.wrappedBuffer', file: 'channel/ByteBufferAsyncWritableChannel.ts', line: 42, column: 7 }],
    records: [{ kind: 'touch' as const, refCnt: 1, hint: `step 1 write (${file}:12)`, at: [{ fn: 'write', file: 'scenarios/engine/steps/write.ts', line: 9, column: 3 }] }],
    droppedRecords: 0,
    components: [],
  }));
  return {
    scope,
    leakCount: leaks,
    leakBytes: leaks * 100,
    groups:
      leaks === 0
        ? []
        : [{ site: 'Unpooled.wrappedBuffer (channel/ByteBufferAsyncWritableChannel.ts:42:7)', siteFrame: buffers[0]!.createdAt[0]!, count: leaks, bytes: leaks * 100, buffers }],
    misuses: [],
    stacksCaptured: leaks > 0,
    summary: summaryLine(scope, leaks, leaks * 100),
  };
}

/** An outcome: `observed` leaks against `expected` leaks. */
export function outcome(s: LoadedScenario, version: string, expected: number, observed: number): ReplayOutcome {
  const passed = expected === observed;
  return {
    scenario: s,
    version,
    expected: { leaks: expected, overReleases: 0 },
    observed: { leaks: observed, leakBytes: observed * 100, overReleases: 0, unacknowledgedWrites: 0, doubleAcknowledgedWrites: 0, failedExpectations: [] },
    passed,
    mismatches: passed ? [] : [`expected ${expected} leak(s), observed ${observed}`],
    report: leakReport(`${s.name} [${version}]`, observed, s.file),
    gcLeaks: [],
    durationMs: 1,
  };
}

/** Replay behaviour per `name [version]`; missing keys pass with 0 leaks. */
export type Behaviour = (s: LoadedScenario, version: string) => Promise<ReplayOutcome>;

/** A fake engine over `scenarios` (and `errors`), replaying with `behaviour`. */
export function fakeEngine(scenarios: LoadedScenario[], behaviour?: Behaviour, errors: ScenarioLoadError[] = []): ScenarioEngine & { replayed: string[]; loadedPaths: string[][] } {
  const replayed: string[] = [];
  const loadedPaths: string[][] = [];
  return {
    BUILTIN_SCENARIO_DIR: 'cases',
    replayed,
    loadedPaths,
    loadScenarios(paths) {
      loadedPaths.push(paths);
      return { scenarios, errors };
    },
    async replayScenario(s, version) {
      replayed.push(`${s.name} [${version}]`);
      return behaviour !== undefined ? behaviour(s, version) : outcome(s, version, 0, 0);
    },
  };
}

/** A report over `outcomes` (in plan order), as the runner builds it. */
export function reportOf(outcomes: ReplayOutcome[], extra: Partial<LeakTestsReport> = {}): LeakTestsReport {
  const rows: ScenarioRow[] = [];
  for (const o of outcomes) {
    let row = rows.find((r) => r.file === o.scenario.file);
    if (row === undefined) {
      row = { scenario: o.scenario.name, kind: o.scenario.kind, file: o.scenario.file, versions: [] };
      rows.push(row);
    }
    row.versions.push(o.version);
  }
  const results = outcomes.map((o, index) => toRunResult({ index, scenario: o.scenario, version: o.version }, o));
  const loadErrors = extra.loadErrors ?? [];
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    level: 'paranoid',
    versions: ['fixed', 'legacy', 'regression'],
    rows,
    shards: null,
    plannedRuns: results.length,
    totals: computeTotals(results, loadErrors),
    results,
    loadErrors,
    durationMs: 123,
    ...extra,
  };
}
