/**
 * The leak sanitizer's core, independent of any test runner: a session per test file, a run per
 * test, the checks and their message, opt-outs and exemptions, records and the run summary for a
 * reporter. The jest, vitest, node:test and mocha adapters are thin layers over this module; the
 * message a leaking test fails with comes from here only, so it is the same under every runner.
 * @packageDocumentation
 */
export {
  SanitizerSession,
  TestRun,
  FILE_HOOKS_LABEL,
  RESOURCE_GRACE_MS,
  fullOptions,
  sanitizerError,
  type SessionInit,
  type StartTestOptions,
  type FinishTestOptions,
  type TestCheck,
  type FileCheck,
} from './session';
export { inScope, unwrapped, type ScopeOwner, type ScopeSource, type RunnerFn } from './scope';
export { startSession, endSession, activeSession, leakSanitizer } from './controls';
export { OptOutRegistry, type OptOut, type OptOutTarget, type OptOutSubject } from './optOuts';
export {
  evaluate,
  enabledChecks,
  liveLeaks,
  liveTracked,
  resourceKindsOff,
  type SanitizerOutcome,
  type LeakedOutcome,
  type CleanOutcome,
  type OpenTimerInfo,
  type FindingTime,
  type Suppressed,
} from './outcome';
export { formatOutcome, firstSite, USUAL_FIXES, OPT_OUT_HINT, RESOURCE_OPT_OUT_HINT } from './formatOutcome';
export type { OpenResourceInfo, ResourceSource } from '../resources/describe';
export {
  SANITIZER_CHECKS,
  SANITIZER_ENV,
  SANITIZER_MODES,
  DEFAULT_SANITIZER_OPTIONS,
  sanitizerOptionsFromEnv,
  parseSanitizerMode,
  parseQuiesceMs,
  parseChecks,
  parseResourcesSwitch,
  RESOURCE_CHECK_PREFIX,
  type SanitizerCheck,
  type WholeCheck,
  type ResourceKindCheck,
  type SanitizerMode,
  type SanitizerOptions,
} from './options';
export { recordOf, writeRecords, readRecords, type LeakRecord, type TestLeakRecord, type FileRecord, type RecordSite } from './records';
export {
  LEAK_SUMMARY_FORMAT,
  summarizeLeakRecords,
  mergeLeakSummaries,
  parseLeakSummary,
  formatLeakSummary,
  type LeakRunSummary,
  type LeakingTest,
  type LeakSite,
  type OptOutEntry,
  type SummaryFormatOptions,
} from './summary';
export { LeakSanitizerError, LeakRunError, LeakSummaryFormatError, LeakSummaryWriteError, type SiteFrame } from './errors';
