/**
 * The runner's exit codes: the CI gate reads them.
 * @packageDocumentation
 */

/** How `npm run leak-tests` (and `merge-leak-reports`) end. */
export enum ExitCode {
  /** Every observed result equals the expected one, and no handle was left open. */
  Passed = 0,
  /** At least one run differs from its expected result, or a scenario left a handle open. */
  Failed = 1,
  /** A usage error (bad option, malformed `BYTEBUF_*` variable), a malformed scenario file / report part, or a report file that could not be written. */
  Usage = 2,
}
