/**
 * Errors of the leak-tests CLI. Each has a stable `name` and `code`; the top-level handler turns
 * them into one line and an exit code, never a stack dump.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';

/** A bad command line: unknown option, missing or invalid value. Exit code 2. */
export class UsageError extends HarnessError {
  override readonly name = 'UsageError';
  readonly code = 'ERR_LEAK_TESTS_USAGE';
}

/** JSON report parts that cannot be merged (unreadable, not a report, shards that do not fit together). Exit code 2. */
export class ReportMergeError extends HarnessError {
  override readonly name = 'ReportMergeError';
  readonly code = 'ERR_LEAK_REPORT_MERGE';
}
