/**
 * The engine's public types: what the loader returns, what a replay observed and how it compared.
 * The shapes are the contract with the runner (`scripts/`).
 * @packageDocumentation
 */
import type { GcLeak, LeakReport } from '../../harness';

/** The channel versions a scenario can be replayed against (see `channel/ownership.ts`). */
export type ChannelVersion = 'fixed' | 'legacy' | 'regression';

/** Every version, in the order the spec's tables list them (and `LoadedScenario.versions` is sorted). */
export const CHANNEL_VERSIONS: readonly ChannelVersion[] = ['legacy', 'regression', 'fixed'];

/** What a scenario is for: exposing the bug, a baseline, a proof of the mechanism, or production usage. */
export type ScenarioKind = 'bug' | 'baseline' | 'proof' | 'integration';

/** A scenario file that parsed and validated. */
export interface LoadedScenario {
  /** Path as given or found, relative to the working directory when inside it. */
  file: string;
  /** Scenario name: a unique id such as `write-bytebuffer-then-close`. */
  name: string;
  /** The file's `channel`: the interface a target must implement to run it (absent in older fakes). */
  channel?: 'bbawc' | 'rawc' | 'none';
  kind: ScenarioKind;
  description: string;
  /** Versions this scenario is replayed against: the keys of its `expected` block, in canonical order. */
  versions: ChannelVersion[];
  /** The parsed scenario (engine-internal shape: `ScenarioData`). */
  data: unknown;
  /** 1-based line in `file` where each step starts; index = step index (`$.steps[i]`). */
  stepLines: number[];
}

/** A malformed file: the runner prints `${file}: ${jsonPath}: ${message}`. */
export interface ScenarioLoadError {
  file: string;
  /** JSON path of the fault, e.g. `$.steps[3].size`; `$` for whole-file faults such as bad JSON. */
  jsonPath: string;
  /** 1-based line of the fault, when known. */
  line?: number;
  /** What was expected and what was found. */
  message: string;
}

/** What a replay observed. */
export interface ObservedResult {
  /** Ledger leak count at the end of the scenario (a leaked composite counts once). */
  leaks: number;
  leakBytes: number;
  /** `IllegalReferenceCountException` misuses seen in the scope, thrown or swallowed. */
  overReleases: number;
  /** Writes never acknowledged (callback never called; for writes without a callback, future never done). */
  unacknowledgedWrites: number;
  /** Writes whose callback was called more than once. */
  doubleAcknowledgedWrites: number;
  /** Each failed `expect*` check: `step 5 (expectCallback) at file:line: expected ..., got ...`. */
  failedExpectations: string[];
  /**
   * Checks not made because the level makes none of what they need (GC-path reports, records):
   * `step 4 (expectGcLeaks) at file:line: needs records: level simple keeps none`. Neither passed
   * nor failed. Absent in reports of runners that predate it: read as none.
   */
  skippedChecks?: string[];
  /** An unexpected exception thrown by a step (step, location, error name and message); later steps were skipped. */
  error?: string;
}

/** The expected result for one version, as stated in the file. */
export interface ExpectedResult {
  leaks: number;
  /** Default 0. */
  overReleases: number;
}

/** One replay of one scenario against one version. */
export interface ReplayOutcome {
  scenario: LoadedScenario;
  /** A built-in version, or a version of the target given. */
  version: string;
  /** The target's name, when the replay was given one (absent: the project's port). */
  target?: string;
  expected: ExpectedResult;
  observed: ObservedResult;
  /** Leaks and over-releases as expected, every write acknowledged once, no failed expectation, no error. */
  passed: boolean;
  /** Why it failed, one reason per line; `[]` when it passed. */
  mismatches: string[];
  /** The harness report of the replay's scope (groups, records, misuses, summary). */
  report: LeakReport;
  /** Netty-style `LEAK:` reports from the GC path, seen by the scenario's `collectGarbage` steps. */
  gcLeaks: GcLeak[];
  durationMs: number;
}
