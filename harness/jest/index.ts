/**
 * bytebuf-leak-harness/jest: a per-test leak sanitizer for jest (Deno's test sanitizers, for
 * reference-counted buffers), leak matchers, and a reporter that summarises leaks and fails the run.
 *
 * Configure jest with two lines:
 * ```js
 * setupFilesAfterEnv: ['<rootDir>/harness/jest/setup.ts'],
 * reporters: ['default', ['<rootDir>/harness/jest/reporter.cjs', { outputFile: 'reports/jest-leaks.json' }]],
 * ```
 * In tests, import `leakSanitizer` from here for opt-outs and exemptions.
 * @packageDocumentation
 */
export { leakSanitizer, installLeakSanitizer, FILE_HOOKS_LABEL } from './leakSanitizer';
export { leakMatchers, type LeakMatchers, type LeakedOptions } from './leakMatchers';
export {
  SANITIZER_CHECKS,
  SANITIZER_ENV,
  SANITIZER_MODES,
  DEFAULT_SANITIZER_OPTIONS,
  sanitizerOptionsFromEnv,
  parseSanitizerMode,
  parseQuiesceMs,
  parseResourcesSwitch,
  type SanitizerCheck,
  type WholeCheck,
  type ResourceKindCheck,
  type SanitizerMode,
  type SanitizerOptions,
} from '../sanitizer/options';
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
  type LeakRecord,
  type RecordSite,
  type FindingTime,
  type Suppressed,
} from '../sanitizer/summary';
export { LeakReporter, parseReporterOptions, shardOutputFile, type LeakReporterOptions } from './reporter';
export { LeakSanitizerError, LeakRunError, LeakSummaryFormatError, LeakSummaryWriteError } from '../sanitizer/errors';
