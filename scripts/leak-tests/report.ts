/**
 * The runner's report: a plain, JSON-serialisable record of one `leak-tests` run (or of merged
 * shards). Every output (text, JSON, JUnit, GitHub annotations) is formatted from this model, so
 * a merged report prints exactly like a single run.
 * @packageDocumentation
 */
import type { GcLeak, LeakLevel, LeakReport, StackFrameInfo } from '../../harness';
import type { ExpectedResult, ObservedResult, ScenarioKind, ScenarioLoadError } from './engine';
import { ExitCode } from './exit-code';
import type { Shard } from './shard';

/** Marks a JSON document as a leak-tests report (checked by the merge script). */
export const REPORT_FORMAT = 'leak-tests-report';
/** Version of the report's shape; bumped on incompatible changes. */
export const REPORT_VERSION = 1;

/** A file and 1-based line (a scenario step, for annotations). */
export interface SourceLocation {
  file: string;
  line: number;
}

/** A timer, socket or other handle a replay created and left open. */
export interface OpenHandle {
  /** async_hooks resource type: `Timeout`, `Immediate`, `TCPWRAP`, ... */
  type: string;
  /** False for an `unref()`ed handle (it does not keep the process alive, but it is still open). */
  refed: boolean;
  /** Where it was created: project frames only, source-mapped (innermost first). */
  createdAt: StackFrameInfo[];
  /** Other witnesses that saw it open: `process.getActiveResourcesInfo()`, `why-is-node-running`. */
  seenBy: string[];
}

/** One scenario replayed against one version. */
export interface RunResult {
  /** Position in the full, unsharded plan (0-based): merged shards sort by it. */
  index: number;
  scenario: string;
  kind: ScenarioKind;
  file: string;
  /** The matrix column: a built-in version (`fixed`), or `<target>:<version>` for a `--target`'s version. */
  version: string;
  /** The `--target`'s name (absent for the project's own ports). */
  target?: string;
  passed: boolean;
  expected: ExpectedResult;
  observed: ObservedResult;
  /** Why it failed ([] when it passed): the engine's reasons plus the runner's (open handles, uncaught errors). */
  mismatches: string[];
  /** The scenario step a failure points at (GitHub annotations). */
  location: SourceLocation;
  /** The harness report of the replay's ledger scope. */
  report: LeakReport;
  /** Netty-style `LEAK:` texts from the GC path. */
  gcLeaks: GcLeak[];
  /** Handles this replay left open. */
  openHandles: OpenHandle[];
  durationMs: number;
}

/** One matrix row: a scenario and the versions the plan replays it against (before sharding). */
export interface ScenarioRow {
  scenario: string;
  kind: ScenarioKind;
  file: string;
  /** Matrix columns (see {@link RunResult.version}). */
  versions: string[];
}

/** A `--target` that loaded: its name, the module given, its interface and its versions. */
export interface TargetInfo {
  name: string;
  module: string;
  channel: string;
  versions: string[];
}

/** Counts over the report's runs. */
export interface ReportTotals {
  runs: number;
  passed: number;
  failed: number;
  openHandles: number;
  malformedFiles: number;
}

/** A whole leak-tests report. */
export interface LeakTestsReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  level: LeakLevel;
  /** Matrix columns: built-in versions, then `<target>:<version>` columns. */
  versions: string[];
  /** The `--target`s that loaded (absent without `--target`). */
  targets?: TargetInfo[];
  /** `target <module>: ...` / `steps <module>: ...`, one per fault of a `--target` or `--steps` module (absent without either); exit code 2. */
  targetErrors?: string[];
  /** Matrix rows: every scenario of the plan, including those whose runs fell in other shards. */
  rows: ScenarioRow[];
  /** Shards this report covers; null for an unsharded run. */
  shards: Shard[] | null;
  /** Runs in the full plan, all shards together. */
  plannedRuns: number;
  totals: ReportTotals;
  results: RunResult[];
  loadErrors: ScenarioLoadError[];
  durationMs: number;
}

/** Recomputes the totals from results and load errors. */
export function computeTotals(results: readonly RunResult[], loadErrors: readonly ScenarioLoadError[]): ReportTotals {
  const passed = results.filter((r) => r.passed).length;
  return {
    runs: results.length,
    passed,
    failed: results.length - passed,
    openHandles: results.reduce((n, r) => n + r.openHandles.length, 0),
    malformedFiles: new Set(loadErrors.map((e) => e.file)).size,
  };
}

/** `leak-tests: N passed, N failed`, the closing line CI reads. */
export function closingLine(totals: ReportTotals): string {
  return `leak-tests: ${totals.passed} passed, ${totals.failed} failed`;
}

/** `name [version]`, how a run is named in every output. */
export function runLabel(r: { scenario: string; version: string }): string {
  return `${r.scenario} [${r.version}]`;
}

/** The checks a run skipped because its level cannot decide them (none in reports that predate them). */
export function skippedChecksOf(r: Pick<RunResult, 'observed'>): string[] {
  return r.observed.skippedChecks ?? [];
}

/** `file: jsonPath (line N): message`, how a malformed file is reported. */
export function formatLoadError(e: ScenarioLoadError): string {
  return `${e.file}: ${e.jsonPath}${e.line !== undefined ? ` (line ${e.line})` : ''}: ${e.message}`;
}

/** The gate: 2 if a scenario file was malformed or a target failed to load, else 1 if any run failed, else 0. */
export function exitCodeOf(report: Pick<LeakTestsReport, 'totals' | 'loadErrors' | 'targetErrors'>): ExitCode {
  if (report.loadErrors.length > 0 || (report.targetErrors?.length ?? 0) > 0) return ExitCode.Usage;
  return report.totals.failed > 0 ? ExitCode.Failed : ExitCode.Passed;
}
