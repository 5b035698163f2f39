/**
 * @internal The ledger entry of one tracked buffer (Netty's `DefaultResourceLeak`).
 *
 * A tracker never references its buffer, so the buffer can be garbage-collected while the tracker
 * stays in the ledger (the exact path) and in the finalization registry (the GC path). Trackers
 * of one scope form an intrusive doubly-linked list: adding and removing cost two pointer writes,
 * with no hashing (the cheapest ledger measured on this machine).
 */
import { unwatchForGc, type GcWatch } from './gcLeaks';
import { stackCapture, type CapturedStack, type StackCut } from './stack';
import type { LeakScope } from './LeakScope';
import { sharedPart } from './sharedState';

/**
 * What a tracked buffer is, as far as memory ownership goes; `resource` for anything else tracked
 * in the ledger with `track()` (a connection, a handle of the user's), whose `resource` says what.
 */
export type BufferKind = 'heap' | 'direct' | 'heap-wrapper' | 'direct-wrapper' | 'composite' | 'resource';

/** What a ledger entry made by `track()` stands for. */
export interface TrackedResourceInfo {
  /** The user's name for it (`'db connection'`). */
  readonly kind: string;
  /** How it is released, as the report's hint names it (`close()`, `[Symbol.asyncDispose]()`, a check). */
  readonly release: string;
  /** For a resource whose release the harness only checks: true once released. */
  readonly isReleased: (() => boolean) | undefined;
}

/** The operations a record can stand for. */
export type RecordKind = 'retain' | 'release' | 'touch' | 'derive' | 'add-to-composite' | 'removed-from-composite';

/** One access record: what happened, the count after it, an optional hint, and where. */
export interface TraceRecord {
  readonly kind: RecordKind;
  readonly refCnt: number;
  readonly hint: string | undefined;
  readonly stack: CapturedStack;
}

/** A source of random integers (shared state holds it by this shape: it may come from another copy). */
export interface RandomSource {
  /** An integer in `[0, bound)`. */
  nextInt(bound: number): number;
}

/** Deterministic PRNG (xorshift32) shared by sampling and record back-off, so reruns match. */
export class SeededRandom implements RandomSource {
  private state: number;
  constructor(seed: number) {
    this.state = (seed >>> 0) || 0x9e3779b9;
  }
  /** An integer in `[0, bound)`; `bound` is a power of two or small. */
  nextInt(bound: number): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state % bound;
  }
}

/** Shared by all trackers (of every copy of the harness); reset by `LeakDetection.configure`. */
export const recordRandom: { rng: RandomSource; targetRecords: number } = sharedPart('recordRandom', () => ({
  rng: new SeededRandom(1),
  targetRecords: 4,
}));

/**
 * Which records a tracker keeps (a small integer: the allocation hook passes it on every buffer):
 * none (stacks off), all of them, or the ends only (`BYTEBUF_LEAK_RECORDS=ends`: the creation and
 * the final release get stacks, the other operations are counted by kind).
 */
export const RecordsKept = { NONE: 0, ALL: 1, ENDS: 2 } as const;
export type RecordsKept = (typeof RecordsKept)[keyof typeof RecordsKept];

/** Operations a tracker counted without recording them, by kind, in order of first occurrence. */
export type OperationCounts = Partial<Record<RecordKind, number>>;

export class LeakTracker {
  /** Ledger id, unique in the process, increasing in creation order. */
  readonly id: number;
  readonly kind: BufferKind;
  /** Capacity in bytes; follows the buffer when it grows (see `resize`). */
  capacity: number;
  /** Where the buffer was made; null when stacks are off for this buffer. */
  readonly createdAt: CapturedStack | null;
  /** Access records, oldest first; null when records are off for this buffer. */
  records: TraceRecord[] | null;
  /**
   * With `BYTEBUF_LEAK_RECORDS=ends`: the operations counted instead of recorded (all but the
   * final release, whose stack is `releasedAt`); null otherwise.
   */
  notRecorded: OperationCounts | null;
  /** Records dropped by the back-off past `targetRecords`. */
  droppedRecords = 0;
  /** The reference count after the last operation. */
  refCnt = 1;
  /** True once the count reached 0 (the buffer was deallocated). */
  closed = false;
  /** Stack of the final release, when records are on. */
  releasedAt: CapturedStack | null = null;
  /** The composite that holds a reference to this buffer, while it does. */
  heldBy: LeakTracker | null = null;
  /** True once the GC path reported this buffer. */
  gcReported = false;
  /** Set for a resource tracked with `track()` (kind `resource`); null for a buffer. */
  resource: TrackedResourceInfo | null = null;
  /** The scope whose ledger counts this buffer; null when the ledger is off. */
  scope: LeakScope | null = null;
  /** @internal Intrusive list links inside `scope`. */
  prev: LeakTracker | null = null;
  /** @internal */
  next: LeakTracker | null = null;
  /** @internal The GC path's registration while it watches the buffer (not yet released). */
  gcWatch: GcWatch | null = null;
  /** @internal Links in the GC path's list of watched trackers. */
  gcPrev: LeakTracker | null = null;
  /** @internal */
  gcNext: LeakTracker | null = null;

  /**
   * `createdAt`: the creation stack, captured by the allocation hook (null when stacks are off);
   * `kept`: which records to keep (see `RecordsKept`).
   */
  constructor(id: number, kind: BufferKind, capacity: number, createdAt: CapturedStack | null, kept: RecordsKept) {
    this.id = id;
    this.kind = kind;
    this.capacity = capacity;
    this.createdAt = createdAt;
    this.records = kept === RecordsKept.ALL ? [] : null;
    this.notRecorded = kept === RecordsKept.ENDS ? {} : null;
  }

  /** True for buffers holding memory of their own; false for views of the caller's memory. */
  get ownsMemory(): boolean {
    return this.kind !== 'heap-wrapper' && this.kind !== 'direct-wrapper';
  }

  /**
   * Records an operation (when records are on) and the count after it. `cut`: the public method
   * the caller called (see `StackCut`); by default the stack starts at the caller of `record`.
   */
  record(kind: RecordKind, refCnt: number, hint?: string, cut?: StackCut): void {
    this.refCnt = refCnt;
    const records = this.records;
    // Records off: nothing more. `ends`: only the final release goes on, to its stack.
    if (records === null && (this.notRecorded === null || this.countUnlessFinal(kind, refCnt))) return;
    // `captureStack`, inlined: V8 walks every frame between the caller and the capture, even the
    // ones it leaves out, at about 5% of a capture's cost each. The rest is out of line, so this
    // stays small enough for V8 to inline into the buffer's method (one physical frame less to walk).
    const stack: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = stackCapture.depth;
    Error.captureStackTrace(stack, cut ?? LeakTracker.prototype.record);
    Error.stackTraceLimit = limit;
    if (records === null) this.releasedAt = stack;
    else this.keep(records, { kind, refCnt, hint, stack });
  }

  /**
   * Netty's back-off: past the target, keep a new record with probability 1/2^(n - target),
   * otherwise it replaces the newest one; the creation record and the newest are always kept.
   */
  private keep(records: TraceRecord[], rec: TraceRecord): void {
    const n = records.length;
    const target = recordRandom.targetRecords;
    if (n >= target && recordRandom.rng.nextInt(2 ** Math.min(n - target + 1, 30)) !== 0) {
      records[n - 1] = rec;
      this.droppedRecords++;
    } else {
      records.push(rec);
    }
  }

  /**
   * `BYTEBUF_LEAK_RECORDS=ends`: counts the operation and returns true, unless it is the final
   * release (once per buffer), whose stack `record` keeps as `releasedAt`.
   */
  private countUnlessFinal(kind: RecordKind, refCnt: number): boolean {
    if (kind === 'release' && refCnt === 0) return false;
    const counts = this.notRecorded!;
    counts[kind] = (counts[kind] ?? 0) + 1;
    return true;
  }

  /** The buffer's capacity changed (it grew): the scope's byte count follows. */
  resize(capacity: number): void {
    if (this.scope !== null) this.scope.liveBytes += capacity - this.capacity;
    this.capacity = capacity;
  }

  /** Marks the final release: closes the entry and leaves the ledger. */
  close(): void {
    this.refCnt = 0;
    this.closed = true;
    if (this.records !== null) this.releasedAt = this.records[this.records.length - 1]?.stack ?? null;
    this.heldBy = null;
    this.scope?.remove(this);
    if (this.gcWatch !== null) unwatchForGc(this);
  }
}
