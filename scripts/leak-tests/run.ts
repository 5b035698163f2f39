/**
 * Replays the planned runs one after the other through the engine, and turns each outcome into a
 * {@link RunResult}. Adds what only the runner sees: handles a replay left open (checked once,
 * after all replays and a bounded wait) and errors thrown asynchronously while a replay ran.
 * @packageDocumentation
 */
import { formatFrame, summaryLine, type LeakLevel, type LeakReport } from '../../harness';
import type { ReplayOutcome, ScenarioEngine, StepTypes } from './engine';
import { activeResourceCounts, type HandleTracker, type ProjectFrameFilter, type TrackedHandle } from './handles';
import { failureLocation } from './location';
import type { PlannedRun } from './plan';
import type { Progress } from './progress';
import { runLabel, type OpenHandle, type RunResult } from './report';
import { describeError, setUncaughtSink } from './uncaught';
import { CompactResults } from './compactResults';
import { whyIsNodeRunningAfter, type WhyHandle } from './why';

/** How to replay. */
export interface ExecuteOptions {
  level: LeakLevel;
  /** Time limit of one replay in ms (`--timeout`); absent: the engine's default. */
  timeoutMs?: number;
  /** The user's step types (`--steps`) the scenarios were loaded with. */
  steps?: StepTypes;
  progress: Progress;
  /** Records the handles each run creates; null: no open-handle check. */
  tracker: HandleTracker<number> | null;
  /** How long to wait for open handles to close after the last replay. */
  handleGraceMs: number;
  /** Which stack frames are the project's (for why-is-node-running's list). */
  frameFilter: ProjectFrameFilter;
  /** Ask why-is-node-running for a second opinion when handles were left open. */
  crossCheckWithWhy: boolean;
}

/** A report with nothing in it, for a replay that could not produce one. */
function emptyReport(scope: string): LeakReport {
  return { scope, leakCount: 0, leakBytes: 0, groups: [], misuses: [], stacksCaptured: false, summary: summaryLine(scope, 0, 0) };
}

/** Calls the engine; an engine that throws (it must not) still yields a failed outcome. */
async function replay(engine: ScenarioEngine, run: PlannedRun, options: Pick<ExecuteOptions, 'level' | 'timeoutMs' | 'steps'>): Promise<ReplayOutcome> {
  const started = Date.now();
  try {
    const replayOptions = {
      level: options.level,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(run.target !== undefined ? { target: run.target.target } : {}),
      ...(options.steps !== undefined ? { steps: options.steps } : {}),
    };
    return await engine.replayScenario(run.scenario, run.target?.version ?? run.version, replayOptions);
  } catch (error) {
    const message = `the engine threw: ${describeError(error)}`;
    return {
      scenario: run.scenario,
      version: run.version,
      expected: { leaks: 0, overReleases: 0 },
      observed: { leaks: 0, leakBytes: 0, overReleases: 0, unacknowledgedWrites: 0, doubleAcknowledgedWrites: 0, failedExpectations: [], error: message },
      passed: false,
      mismatches: [message],
      report: emptyReport(runLabel({ scenario: run.scenario.name, version: run.version })),
      gcLeaks: [],
      durationMs: Date.now() - started,
    };
  }
}

/** The runner's record of one outcome. */
export function toRunResult(run: PlannedRun, outcome: ReplayOutcome): RunResult {
  const s = run.scenario;
  return {
    index: run.index,
    scenario: s.name,
    kind: s.kind,
    file: s.file,
    version: run.version,
    ...(run.target !== undefined ? { target: run.target.target.name } : {}),
    passed: outcome.passed,
    expected: outcome.expected,
    observed: outcome.observed,
    mismatches: [...outcome.mismatches],
    location: failureLocation(s, outcome.observed, outcome.report, outcome.mismatches),
    report: outcome.report,
    gcLeaks: outcome.gcLeaks,
    openHandles: [],
    durationMs: outcome.durationMs,
  };
}

/** True when a Node resource type name (`TCPSocketWrap`) is the kind of an async_hooks type (`TCPWRAP`). */
function sameKind(hookType: string, nodeType: string): boolean {
  return nodeType.toLowerCase().startsWith(hookType.toLowerCase().replace(/wrap$/, ''));
}

/** Marks the runs that left handles open as failed, with one mismatch per handle. */
function attachOpenHandles(results: CompactResults, handles: TrackedHandle<number>[], why: WhyHandle[] | null): void {
  const nodeCounts = activeResourceCounts();
  for (const h of handles) {
    const seenBy: string[] = [];
    if (h.refed && [...nodeCounts.keys()].some((t) => sameKind(h.type, t))) seenBy.push('process.getActiveResourcesInfo()');
    const files = new Set(h.createdAt.map((f) => f.file));
    if (why?.some((w) => w.type === h.type && w.files.some((f) => files.has(f))) === true) seenBy.push('why-is-node-running');
    const handle: OpenHandle = { type: h.type, refed: h.refed, createdAt: h.createdAt, seenBy };
    results.update(h.owner, (result) => {
      result.openHandles.push(handle);
      result.passed = false;
      result.mismatches.push(`left a ${h.type} handle open${h.refed ? '' : " (unref'd)"}, created at ${formatFrame(h.createdAt[0]!)}`);
    });
  }
}

/**
 * `runs` with those that force garbage collections first (stable otherwise): a forced full
 * collection marks the whole heap, so run after thousands of others it would cost more with
 * every result kept, and a run of N such replays would cost O(N²).
 */
function collectingFirst(engine: ScenarioEngine, runs: readonly PlannedRun[]): PlannedRun[] {
  const forces = (r: PlannedRun): boolean => engine.forcesCollection?.(r.scenario) ?? false;
  return [...runs.filter(forces), ...runs.filter((r) => !forces(r))];
}

/**
 * Replays `runs` (those that force collections first), and returns their results in plan order. Never throws for a scenario's misbehaviour: engine errors, uncaught
 * exceptions and open handles become failed results.
 */
export async function executePlan(engine: ScenarioEngine, runs: readonly PlannedRun[], options: ExecuteOptions): Promise<RunResult[]> {
  const results = new CompactResults();
  const uncaught = new Map<number, string[]>();
  // An error raised between runs most likely comes from the run that just ended.
  let blamed: number | null = null;
  // Errors of the second replay for why-is-node-running were seen in the first: not counted twice.
  let secondOpinion = false;
  setUncaughtSink((error) => {
    if (secondOpinion) return true;
    if (blamed === null) return false;
    const list = uncaught.get(blamed) ?? [];
    list.push(describeError(error));
    uncaught.set(blamed, list);
    return true;
  });
  const tracker = options.tracker;
  tracker?.start();
  let failed = 0;
  try {
    for (const [i, run] of collectingFirst(engine, runs).entries()) {
      options.progress.runStarted(runLabel({ scenario: run.scenario.name, version: run.version }), i, runs.length);
      blamed = run.index;
      // Inside the tracker's run: what the replay's code makes, now or later from its callbacks, is this run's.
      const replayRun = (): Promise<ReplayOutcome> => replay(engine, run, options);
      const outcome = await (tracker?.track(run.index, replayRun) ?? replayRun());
      const result = toRunResult(run, outcome);
      results.set(result);
      if (!result.passed) failed++;
      options.progress.runEnded(i + 1, runs.length, failed);
    }
    if (tracker !== null) {
      await tracker.settle(options.handleGraceMs);
      tracker.stop();
      const open = tracker.openHandles();
      let why: WhyHandle[] | null = null;
      if (open.length > 0 && options.crossCheckWithWhy) {
        const culprits = runs.filter((r) => open.some((h) => h.owner === r.index));
        secondOpinion = true;
        why = await whyIsNodeRunningAfter(async () => {
          for (const r of culprits) await replay(engine, r, options);
        }, options.frameFilter);
      }
      attachOpenHandles(results, open, why);
    }
  } finally {
    tracker?.stop();
    setUncaughtSink(null);
    options.progress.finish();
  }
  for (const [index, errors] of uncaught) {
    results.update(index, (result) => {
      result.passed = false;
      for (const e of errors) result.mismatches.push(`uncaught exception during the replay: ${e}`);
    });
  }
  // In plan order again.
  const position = new Map(runs.map((r, i) => [r.index, i]));
  return results.values().sort((a, b) => position.get(a.index)! - position.get(b.index)!);
}
