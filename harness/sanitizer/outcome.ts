/**
 * What the sanitizer found for one test (or for a file's `beforeAll`/`afterAll` hooks),
 * as data: a discriminated union, formatted separately (`formatOutcome.ts`). Like Deno's
 * `wrapTest`, the check compares the scope after the test with what the test was allowed to leave.
 */
import type { LeakScope, Misuse } from '../tracking/LeakScope';
import type { LeakTracker } from '../tracking/LeakTracker';
import { buildLeakReport, type LeakReport } from '../tracking/report';
import { userFrames, type StackFrameInfo } from '../tracking/stack';
import { RESOURCE_CHECK_PREFIX, SANITIZER_CHECKS, type WholeCheck } from './options';
import type { OpenResourceInfo } from '../resources/describe';
import { withoutExempt } from './exemptions';
import { isPending, isRefed, type TimerKind, type TimerRecord } from './pendingWork';
import type { OptOut } from './optOuts';

/** A timer left pending, ready to print. */
export interface OpenTimerInfo {
  kind: TimerKind;
  delayMs: number | undefined;
  /** False when the timer was `unref()`ed (it still fires, in a later test). */
  refed: boolean;
  /** Where it was created (user frames, innermost first). */
  createdAt: StackFrameInfo[];
}

/** When the findings were made. */
export type FindingTime = 'test' | 'after-test' | 'file-hooks';

/** Counts of what opted-out checks would have reported. */
export interface Suppressed {
  leaks: number;
  misuses: number;
  timers: number;
  /** Resources and pending operations (absent in records written before the resources check). */
  resources?: number;
}

interface OutcomeBase {
  /** `describe › test`, or a label for file-level findings. */
  testName: string;
  when: FindingTime;
  /** Leaks and misuses the enabled checks found (empty report when clean). */
  report: LeakReport;
  /** Timers the enabled check found still pending. */
  timers: OpenTimerInfo[];
  /** Resources left open and operations left pending that the enabled check (and kinds) found. */
  resources: OpenResourceInfo[];
  optOuts: OptOut[];
  suppressed: Suppressed;
}

/** Nothing an enabled check objects to. */
export interface CleanOutcome extends OutcomeBase {
  verdict: 'clean';
}

/** Something leaked, was over-released, or a timer was left open. */
export interface LeakedOutcome extends OutcomeBase {
  verdict: 'leaked';
}

/** The sanitizer's verdict on one test. */
export type SanitizerOutcome = CleanOutcome | LeakedOutcome;

/** The whole checks left enabled by `optOuts`. */
export function enabledChecks(optOuts: readonly OptOut[]): Set<WholeCheck> {
  const on = new Set<WholeCheck>(SANITIZER_CHECKS);
  for (const o of optOuts) for (const c of o.checks) on.delete(c as WholeCheck);
  return on;
}

/** The resource kinds `optOuts` switch off one by one (`resources:<kind>`). */
export function resourceKindsOff(optOuts: readonly OptOut[]): Set<string> {
  const off = new Set<string>();
  for (const o of optOuts) for (const c of o.checks) if (c.startsWith(RESOURCE_CHECK_PREFIX)) off.add(c.slice(RESOURCE_CHECK_PREFIX.length));
  return off;
}

/** The live trackers of `scope` (optionally only those after `sinceId`). */
function liveAfter(scope: LeakScope, sinceId: number): LeakTracker[] {
  if (scope.liveCount === 0) return [];
  const live = scope.live();
  return sinceId > 0 ? live.filter((t) => t.id > sinceId) : live;
}

/** What a scope holds for the leak check: its live, non-exempt buffers (optionally only those after `sinceId`). */
export function liveLeaks(scope: LeakScope, sinceId = 0): LeakTracker[] {
  const live = liveAfter(scope, sinceId);
  return withoutExempt(live.some((t) => t.resource !== null) ? live.filter((t) => t.resource === null) : live);
}

/** The `track()`ed resources of a scope not yet released (optionally only those after `sinceId`). */
export function liveTracked(scope: LeakScope, sinceId = 0): LeakTracker[] {
  return liveAfter(scope, sinceId).filter((t) => t.resource !== null);
}

/** Input of one evaluation. */
export interface EvaluationInput {
  testName: string;
  when: FindingTime;
  scope: LeakScope;
  leaks: LeakTracker[];
  misuses: Misuse[];
  timers: TimerRecord[];
  /** Resources left open and operations left pending (every kind; opt-outs are applied here). */
  resources?: OpenResourceInfo[];
  optOuts: OptOut[];
}

/** Builds the outcome: only enabled checks count; opted-out findings are counted as suppressed. */
export function evaluate(input: EvaluationInput): SanitizerOutcome {
  const on = enabledChecks(input.optOuts);
  const pending = input.timers.filter(isPending);
  const report = buildLeakReport(input.scope, on.has('leaks') ? input.leaks : [], on.has('misuses') ? input.misuses : []);
  const timers: OpenTimerInfo[] = on.has('timers')
    ? pending.map((t) => ({ kind: t.kind, delayMs: t.delayMs, refed: isRefed(t), createdAt: userFrames(t.createdAt) }))
    : [];
  const kindsOff = resourceKindsOff(input.optOuts);
  const allResources = input.resources ?? [];
  const resources = on.has('resources') ? allResources.filter((r) => !kindsOff.has(r.kind)) : [];
  const suppressed: Suppressed = {
    leaks: on.has('leaks') ? 0 : buildLeakReport(input.scope, input.leaks, []).leakCount,
    misuses: on.has('misuses') ? 0 : input.misuses.length,
    timers: on.has('timers') ? 0 : pending.length,
    resources: allResources.length - resources.length,
  };
  const base = { testName: input.testName, when: input.when, report, timers, resources, optOuts: input.optOuts, suppressed };
  const dirty = report.leakCount > 0 || report.misuses.length > 0 || timers.length > 0 || resources.length > 0;
  return dirty ? { verdict: 'leaked', ...base } : { verdict: 'clean', ...base };
}
