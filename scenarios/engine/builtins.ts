/**
 * Built-in functions a scenario can `call`: code that cannot be expressed as steps because the
 * point is what the code does with a buffer the scenario never sees.
 * @packageDocumentation
 */
import { Unpooled, type ByteBuffer } from '../../harness';

/**
 * The `hidden-wrapper` proof: wraps `source` with `Unpooled.wrappedBuffer` and drops the wrapper
 * where no caller can reach it, as the legacy `write(ByteBuffer)` did. The wrapper is never
 * released, so the ledger reports it at this function's site, and once it is garbage-collected
 * the GC path prints Netty's `LEAK:` report. (The engine still adds the calling step's hint to
 * it, through the ledger, as to every buffer a step makes.)
 */
export function wrapAndDropWrapper(source: ByteBuffer): void {
  Unpooled.wrappedBuffer(source);
}

/** The functions a `call` step can name, by name. */
export const BUILTIN_FUNCTIONS = {
  wrapAndDropWrapper,
} as const;

/** A name a `call` step accepts. */
export type BuiltinName = keyof typeof BUILTIN_FUNCTIONS;
