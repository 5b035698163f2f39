/**
 * Errors of the leak sanitizer and its reporters, each with a stable `name` and `code`.
 * @packageDocumentation
 */
import { HarnessError } from '../errors';

/** A frame to show jest's code frame at: an absolute file, line and column. */
export interface SiteFrame {
  fn: string;
  file: string;
  line: number;
  column: number;
}

/**
 * The failure the sanitizer adds to a test that leaked buffers, over-released one or left a timer
 * open: the whole report (what leaked, where it was made, its path, and the fix). `stack` ends with
 * the first finding's site, so jest prints a code frame of the line that made the leaked buffer
 * (or misused it, or started the timer). Frames quoted in the report read `    ↳ fn (file:line:col)`,
 * which jest leaves under the record they belong to.
 */
export class LeakSanitizerError extends HarnessError {
  override readonly name = 'LeakSanitizerError';
  readonly code = 'ERR_TEST_LEAKED';
  constructor(message: string, site?: SiteFrame) {
    super(message);
    const frame = site !== undefined ? `\n    at ${site.fn} (${site.file}:${site.line}:${site.column})` : '';
    this.stack = `${this.name}: ${this.message}${frame}`;
  }
}

/** Returned by the leak reporter's `getLastError()`: tests leaked, so the run fails. */
export class LeakRunError extends HarnessError {
  override readonly name = 'LeakRunError';
  readonly code = 'ERR_LEAKS_IN_RUN';
}

/**
 * Returned by the leak reporter's `getLastError()` when its `outputFile` could not be written
 * (the run fails: a CI job must not go on without its report). `cause` is the file-system error.
 */
export class LeakSummaryWriteError extends HarnessError {
  override readonly name = 'LeakSummaryWriteError';
  readonly code = 'ERR_LEAK_SUMMARY_WRITE';
}

/** A file given to the summary merge is not a leak summary this version can read. */
export class LeakSummaryFormatError extends HarnessError {
  override readonly name = 'LeakSummaryFormatError';
  readonly code = 'ERR_LEAK_SUMMARY_FORMAT';
}
