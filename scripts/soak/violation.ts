/**
 * The one error a soak sequence fails with: which invariant broke, and how.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';

/** The invariants a soak sequence checks, one word each (the counterexample report groups by it). */
export type ViolationKind = 'leak' | 'misuse' | 'ack' | 'bytes' | 'timer' | 'pending' | 'throw';

/** A broken invariant in one sequence; `message` starts with `kind: `. */
export class SoakViolation extends HarnessError {
  override readonly name = 'SoakViolation';
  readonly code = 'ERR_SOAK_VIOLATION';
  constructor(
    readonly kind: ViolationKind,
    detail: string,
    /** Longer evidence printed under the counterexample, e.g. the leak report. */
    readonly evidence?: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}
