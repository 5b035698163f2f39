/**
 * Errors of the leak-tests CLI. Each has a stable `name` and `code`; the top-level handler turns
 * them into one line and an exit code, never a stack dump.
 * @packageDocumentation
 */

/** A bad command line: unknown option, missing or invalid value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_LEAK_TESTS_USAGE';
}

/** JSON report parts that cannot be merged (unreadable, not a report, shards that do not fit together). Exit code 2. */
export class ReportMergeError extends Error {
  override readonly name = 'ReportMergeError';
  readonly code = 'ERR_LEAK_REPORT_MERGE';
}
