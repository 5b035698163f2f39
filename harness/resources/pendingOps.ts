/**
 * @internal Pending operations (Deno's op sanitizer): a promise-returning Node operation a test
 * started and did not await. What can be told reliably is the request under the promise: an
 * `fs/promises` call (`FSREQPROMISE`), a `FileHandle`'s `close()` (`FILEHANDLECLOSEREQ`), a
 * `dns/promises` lookup or query (a DNS request with the promise's `resolve` on it), still in
 * flight when the test has ended. A request that completed before the end, but whose promise
 * nobody awaited, left nothing to see; `timers/promises` timers are timers (the timers check).
 */
import type { CapturedStack } from '../tracking/stack';

/** The request types an un-awaited promise can stand on, with what the report calls them. */
const OP_NAMES: ReadonlyMap<string, string> = new Map([
  ['FSREQPROMISE', 'fs/promises operation'],
  ['FILEHANDLECLOSEREQ', 'fileHandle.close()'],
  ['GETADDRINFOREQWRAP', 'dns/promises lookup()'],
  ['GETNAMEINFOREQWRAP', 'dns/promises lookupService()'],
  ['QUERYWRAP', 'dns/promises query'],
]);

/** True for request types that may be a promise's (their creation stack is kept). */
export function mayBePromiseOp(type: string): boolean {
  return OP_NAMES.has(type);
}

/** A request created in a watched scope, until its callback runs. */
export interface RequestRecord {
  readonly type: string;
  /** Kept for the types that may be a promise's; undefined for the others. */
  readonly createdAt: CapturedStack | undefined;
  /** The request object, held weakly (Node holds it while in flight). */
  readonly request: WeakRef<object> | undefined;
}

/** The report name of a request still in flight that stands for an un-awaited promise, else undefined. */
export function promiseOpName(r: RequestRecord): string | undefined {
  const name = OP_NAMES.get(r.type);
  if (name === undefined) return undefined;
  if (r.type === 'FSREQPROMISE' || r.type === 'FILEHANDLECLOSEREQ') return name;
  // A DNS request of dns/promises carries its promise's resolve function; the callback API's does not.
  const req = r.request?.deref() as { resolve?: unknown } | undefined;
  return typeof req?.resolve === 'function' ? name : undefined;
}

/** The fix of a pending operation. */
export const PENDING_OP_HINT = 'await the promise it returned before the test ends';
