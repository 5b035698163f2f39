/**
 * What the soak's producer does as a correct caller, shared by both channel drivers.
 * @packageDocumentation
 */
import { ByteBuffer, formatLeakReport, IllegalReferenceCountException, type ByteBuf, type LeakScope } from '../../harness';
import { SoakViolation } from './violation';

/**
 * Releases the caller's own reference to a written `ByteBuf` (the interface rule: the channel
 * never does). An over-release, which only a broken channel causes, is already noted by the
 * ledger, so it is swallowed here and the sequence goes on to be judged on its counts.
 */
export function releaseOwnSource(src: ByteBuffer | ByteBuf): void {
  if (src instanceof ByteBuffer) return;
  try {
    src.release();
  } catch (e) {
    if (!(e instanceof IllegalReferenceCountException)) throw e;
  }
}

/** What the ledger saw in a finished sequence's scope. */
export interface LedgerCounts {
  /** Buffers left unreleased, a composite counting once (the report's count). */
  leaks: number;
  /** Releases of a buffer already freed. */
  overReleases: number;
}

/** Counts the leaks and over-releases of `scope`; any other misuse (a use after free) is a violation. */
export function ledgerCounts(scope: LeakScope): LedgerCounts {
  const leaks = scope.liveCount === 0 ? 0 : scope.report().leakCount;
  let overReleases = 0;
  for (const misuse of scope.misuses) {
    if (misuse.kind !== 'over-release') throw new SoakViolation('misuse', `${misuse.kind}: ${misuse.message.split('\n')[0]}`);
    overReleases++;
  }
  return { leaks, overReleases };
}

/** Throws unless the ledger saw exactly the expected counts; the leak report says what leaked. */
export function expectLedgerCounts(scope: LeakScope, expected: LedgerCounts): LedgerCounts {
  const seen = ledgerCounts(scope);
  if (seen.leaks !== expected.leaks) {
    if (seen.leaks === 0) throw new SoakViolation('leak', `expected ${expected.leaks} leak(s), observed 0 in scope '${scope.name}'`);
    const report = scope.report();
    throw new SoakViolation('leak', `expected ${expected.leaks} leak(s), observed ${report.summary}`, formatLeakReport(report));
  }
  if (seen.overReleases !== expected.overReleases) {
    const first = scope.misuses[0]?.message;
    const detail = `expected ${expected.overReleases} over-release(s), observed ${seen.overReleases}`;
    if (first === undefined) throw new SoakViolation('misuse', detail);
    // The whole first message: at level paranoid it says where the buffer was made and first released.
    throw new SoakViolation('misuse', `${detail} (first: ${first.split('\n')[0]})`, first);
  }
  return seen;
}

/** Waits one macrotask turn (lets 0 ms timers and settled promises' callbacks run). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** True when `a` and `b` hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
