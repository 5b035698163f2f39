/**
 * The reference-counting base (Netty's `AbstractReferenceCountedByteBuf`): a count starting at 1,
 * Netty's exact errors on misuse, and one `deallocate()` called exactly once when the count
 * reaches 0. Tracking is a decoration: the allocator hands the buffer a tracker (or none), and the
 * buffer only reports its count changes to it.
 * @packageDocumentation
 */
import { IllegalReferenceCountException, IndexOutOfBoundsException } from '../errors';
import { checkNonNegativeInt, checkPositiveInt } from '../internal/checks';
import { noteMisuse, trackerDetail } from '../tracking/LeakDetection';
import type { LeakTracker } from '../tracking/LeakTracker';
import type { Misuse } from '../tracking/LeakScope';
import type { StackCut } from '../tracking/stack';
import { ByteBuf, MAX_CAPACITY } from './ByteBuf';
import { ReadOnlyByteBuf, UnpooledDuplicatedByteBuf, UnpooledSlicedByteBuf } from './DerivedByteBuf';

// Plain-variable copies of the imported bindings used on hot paths: in a CommonJS build each use
// of an imported name is a getter call (see `Unpooled.ts`). Their modules load before this body.
const LocalCheckNonNegativeInt = checkNonNegativeInt;
const LocalCheckPositiveInt = checkPositiveInt;
const LOCAL_MAX_CAPACITY = MAX_CAPACITY;
const LocalUnpooledSlicedByteBuf = UnpooledSlicedByteBuf;

/**
 * Like `ByteBuf`, no constructor and no field initialisers (see there): a subclass's constructor
 * calls `initCount()` first, which sets the indices to 0, the count to 1 and no tracker.
 */
export abstract class AbstractReferenceCountedByteBuf extends ByteBuf {
  private declare cnt: number;
  /** @internal The ledger entry, set by the allocator; null when untracked. */
  declare leak: LeakTracker | null;

  /** For a subclass's constructor, first: both indices 0, the count 1, no tracker (see the class comment). */
  protected initCount(): void {
    this.clear();
    this.cnt = 1;
    this.leak = null;
  }

  /** Releases this buffer's memory; called once, when the count reaches 0. */
  protected abstract deallocate(): void;

  override refCnt(): number {
    return this.cnt;
  }

  // `retain`, `release` and `touch` repeat the bodies of their `...Via` forms instead of calling
  // them: at `paranoid` each frame between the caller and the record's capture costs V8 a walk step
  // (about 5% of a capture each), and these are the hottest calls.
  override retain(increment = 1): this {
    LocalCheckPositiveInt(increment, 'increment');
    const c = this.cnt;
    if (c <= 0 || c + increment > LOCAL_MAX_CAPACITY) throw this.refCntError('retain-after-free', c, increment);
    this.cnt = c + increment;
    if (this.leak !== null) this.leak.record('retain', this.cnt, undefined, RETAIN_CUT);
    return this;
  }

  override release(decrement = 1): boolean {
    LocalCheckPositiveInt(decrement, 'decrement');
    const c = this.cnt;
    if (c < decrement) throw this.refCntError('over-release', c, -decrement);
    this.cnt = c - decrement;
    const leak = this.leak;
    if (leak !== null) leak.record('release', this.cnt, undefined, RELEASE_CUT);
    if (this.cnt !== 0) return false;
    this.freeOnce(leak);
    return true;
  }

  override touch(hint?: unknown): this {
    if (this.leak !== null && this.cnt > 0) {
      this.leak.record('touch', this.cnt, hint === undefined ? undefined : String(hint), TOUCH_CUT);
    }
    return this;
  }

  /**
   * @internal `retain`, called through `cut`: the public method the caller called (a view's), where
   * the record's stack is cut so that harness frames are neither captured nor kept.
   */
  retainVia(increment: number, cut: StackCut): this {
    LocalCheckPositiveInt(increment, 'increment');
    const c = this.cnt;
    if (c <= 0 || c + increment > LOCAL_MAX_CAPACITY) throw this.refCntError('retain-after-free', c, increment);
    this.cnt = c + increment;
    if (this.leak !== null) this.leak.record('retain', this.cnt, undefined, cut);
    return this;
  }

  /** @internal `release`, called through `cut` (see `retainVia`). */
  releaseVia(decrement: number, cut: StackCut): boolean {
    LocalCheckPositiveInt(decrement, 'decrement');
    const c = this.cnt;
    if (c < decrement) throw this.refCntError('over-release', c, -decrement);
    this.cnt = c - decrement;
    const leak = this.leak;
    if (leak !== null) leak.record('release', this.cnt, undefined, cut);
    if (this.cnt !== 0) return false;
    this.freeOnce(leak);
    return true;
  }

  /**
   * `deallocate()`, then the ledger entry closes even if `deallocate` throws (a composite whose
   * component was freed behind its back throws from there, as Netty's does, at refCnt 0).
   */
  private freeOnce(leak: LeakTracker | null): void {
    try {
      this.deallocate();
    } finally {
      if (leak !== null) leak.close();
    }
  }

  /** @internal `touch`, called through `cut` (see `retainVia`). */
  touchVia(hint: unknown, cut: StackCut): this {
    if (this.leak !== null && this.cnt > 0) {
      this.leak.record('touch', this.cnt, hint === undefined ? undefined : String(hint), cut);
    }
    return this;
  }

  override unwrap(): ByteBuf | null {
    return null;
  }

  /**
   * Netty's `AbstractByteBuf.slice`: liveness first, then a negative length (the new slice's
   * `maxCapacity: -1 (expected: >= 0)`), then the range, with Netty's text
   * `<this buffer>.slice(index, length)`.
   */
  override slice(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.ensureAccessible();
    LocalCheckNonNegativeInt(length, 'maxCapacity');
    const cap = this.capacity();
    if (!Number.isInteger(index) || !Number.isInteger(length) || index < 0 || length < 0 || index + length > cap) {
      throw new IndexOutOfBoundsException(`${this.toString()}.slice(${index}, ${length})`);
    }
    this.recordDerivation('slice', AbstractReferenceCountedByteBuf.prototype.slice);
    return new LocalUnpooledSlicedByteBuf(this, index, length);
  }

  override duplicate(): ByteBuf {
    this.ensureAccessible();
    this.recordDerivation('duplicate', AbstractReferenceCountedByteBuf.prototype.duplicate);
    return new UnpooledDuplicatedByteBuf(this, this.rIdx, this.wIdx);
  }

  /** No liveness check, as Netty's: only the indices must fit the (possibly freed) capacity. */
  override asReadOnly(): ByteBuf {
    if (this.isReadOnly()) return this;
    this.recordDerivation('asReadOnly', AbstractReferenceCountedByteBuf.prototype.asReadOnly);
    return new ReadOnlyByteBuf(this);
  }

  /** @internal Adds a `derive` record (views share this buffer's count), cut at `cut` (see `retainVia`). */
  recordDerivation(what: string, cut: StackCut = AbstractReferenceCountedByteBuf.prototype.recordDerivation): void {
    if (this.leak !== null) this.leak.record('derive', this.cnt, what, cut);
  }

  protected override accessError(): IllegalReferenceCountException {
    return this.refCntError('use-after-free', 0, 0);
  }

  private refCntError(kind: Misuse['kind'], refCnt: number, delta: number): IllegalReferenceCountException {
    const error = new IllegalReferenceCountException(refCnt, delta, trackerDetail(this.leak));
    noteMisuse(kind, this.leak, error.message);
    return error;
  }
}

// The cuts of the hot methods' records, read once. Read in the method (`Class.prototype.retain`),
// each record paid V8's generic load IC (about 50 instructions), even with records off.
const RETAIN_CUT: StackCut = AbstractReferenceCountedByteBuf.prototype.retain;
const RELEASE_CUT: StackCut = AbstractReferenceCountedByteBuf.prototype.release;
const TOUCH_CUT: StackCut = AbstractReferenceCountedByteBuf.prototype.touch;

/**
 * @internal The ledger entry behind `buf` (a view's is its root buffer's); null when untracked.
 * By shape, not `instanceof`: the buffer may come from another copy of the harness, whose trackers
 * are in the same ledger (see `tracking/sharedState.ts`).
 */
export function trackerOf(buf: ByteBuf): LeakTracker | null {
  let b: ByteBuf = buf;
  for (let up = b.unwrap(); up !== null; up = b.unwrap()) b = up;
  return 'leak' in b ? (b.leak as LeakTracker | null) : null;
}
