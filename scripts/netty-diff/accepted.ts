/**
 * The reviewed list of accepted differences between the model and Netty. A divergence that
 * matches an entry is counted as accepted, not as divergent. Each entry says which op and what
 * differs, optionally what each side shows, and why the model cannot (or should not) follow Netty
 * there. Keep it short: an entry hides every sequence whose first divergence it matches.
 * @packageDocumentation
 */
import type { Divergence } from './compare';

/** One accepted difference. */
export interface AcceptedDifference {
  /** The op's overload label (`readBytes(int)`), or a pattern over labels. */
  readonly op: string | RegExp;
  /** What differs (`value`, `error message`, `state.maxCapacity`, ...), or a pattern. */
  readonly aspect: string | RegExp;
  /** When given, Netty's side must match. */
  readonly netty?: RegExp;
  /** When given, the model's side must match. */
  readonly model?: RegExp;
  /** Why this difference is accepted. */
  readonly reason: string;
}

/** The accepted differences. */
export const ACCEPTED: readonly AcceptedDifference[] = [
  {
    op: /^writeBytes\(/,
    aspect: 'error class',
    netty: /"e":"OutOfMemoryError"/,
    reason:
      "the runner's JVM heap (-Xmx512m) runs out where Netty grows a buffer to a length of about 1 GiB before it checks the source range; an environment limit, not buffer semantics (the model has no heap cap)",
  },
  {
    op: 'readBytes(int)',
    aspect: 'throws in the model only',
    netty: /^\{"o":"new"\}$/,
    model: /^\{"e":"IndexOutOfBoundsException","m":"index: \d+, length: \d+ \(expected: range\(0, \d+\)\)"\}$/,
    reason:
      "a slice whose direct root was shrunk by capacity(int) past the slice's end: Netty copies through the root's memory address with no bound, reading native memory past the new allocation (bytes that change from run to run); the model's root has no bytes there and refuses",
  },
  {
    op: /^read(Unsigned)?(Byte|Short|Medium|Int|Long)(LE)?\(\)$/,
    aspect: 'throws in the model only',
    netty: /^\{"v":/,
    model: /^\{"e":"IndexOutOfBoundsException","m":"index: \d+, length: \d+ \(expected: range\(0, \d+\)\)"\}$/,
    reason:
      "a relative read from a slice whose heap or direct root was shrunk by capacity(int) past the slice's end: Netty's relative reads skip checkIndex and its Unsafe accessors read outside the root's array or allocation (JVM object padding, the next object, native memory); the model has no bytes there and refuses",
  },
];

function fits(pattern: string | RegExp, text: string): boolean {
  return typeof pattern === 'string' ? pattern === text : pattern.test(text);
}

/** The first entry of `list` that matches `d`, or null. */
export function acceptedFor(d: Divergence, list: readonly AcceptedDifference[] = ACCEPTED): AcceptedDifference | null {
  return (
    list.find(
      (a) => fits(a.op, d.label) && fits(a.aspect, d.aspect) && (a.netty === undefined || a.netty.test(d.netty)) && (a.model === undefined || a.model.test(d.model)),
    ) ?? null
  );
}
