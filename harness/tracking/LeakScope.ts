/**
 * Ledger scopes: the exact, GC-free count of live buffers per unit of work (a test, a scenario).
 *
 * A scope is entered with `AsyncLocalStorage`, so buffers allocated in callbacks and after `await`s
 * of work started inside it are counted in it, even while other scopes interleave.
 * @packageDocumentation
 */
import type { LeakTracker } from './LeakTracker';
import { buildLeakReport, LeakError, type LeakReport } from './report';
import type { CapturedStack } from './stack';

/** A misuse seen in a scope: the error was thrown, but code under test may have swallowed it. */
export interface Misuse {
  kind: 'over-release' | 'retain-after-free' | 'use-after-free';
  /** The error's full message (Netty's text first). */
  message: string;
  bufferId: number | undefined;
  /** Where the misuse happened. */
  at: CapturedStack;
}

/**
 * Marks scopes of every copy of the harness (`Symbol.for`: the same symbol in each), so that
 * `isLeakScope` recognises a scope made by another copy, whose class `instanceof` would not know.
 */
const LEAK_SCOPE_BRAND: unique symbol = Symbol.for('bytebuf-leak-harness.LeakScope.v1') as never;

/** True when `value` is a `LeakScope` of any copy of the harness (use it instead of `instanceof`). */
export function isLeakScope(value: unknown): value is LeakScope {
  return typeof value === 'object' && value !== null && (value as { [LEAK_SCOPE_BRAND]?: unknown })[LEAK_SCOPE_BRAND] === true;
}

/** One unit of work whose buffers are counted together. */
export class LeakScope {
  /** @internal See `isLeakScope`. */
  readonly [LEAK_SCOPE_BRAND] = true;
  /** Name shown in reports (`scope 'name'`). */
  readonly name: string;
  /** Buffers created in this scope and not yet released. */
  liveCount = 0;
  /** Sum of the capacities of the live buffers. */
  liveBytes = 0;
  /** Buffers ever created in this scope. */
  createdCount = 0;
  /** Over-releases and uses after free that happened while this scope was current. */
  readonly misuses: Misuse[] = [];
  /** Id of the newest buffer when the scope opened: a checkpoint. */
  readonly startId: number;
  private head: LeakTracker | null = null;

  /**
   * The scope that was current when this one was opened (null: opened outside every scope). A
   * test's sanitizer uses it to blame work started in a nested `ledger.scoped()` on the test.
   */
  readonly parent: LeakScope | null;

  /**
   * @internal How many holds keep this scope open: a run in it (`ledger.scoped`, `ledger.runIn`)
   * until its function returns or its promise settles, an entry (`ledger.enterScope` until disposed,
   * `ledger.enter` for good), a sanitizer while it watches the scope. Work the scope started that
   * runs while it is closed counts in its nearest open parent, else in the root scope.
   */
  holds = 0;

  constructor(name: string, startId: number, parent: LeakScope | null = null) {
    this.name = name;
    this.startId = startId;
    this.parent = parent;
  }

  /** @internal Links a new tracker into this scope. */
  add(t: LeakTracker): void {
    t.scope = this;
    t.next = this.head;
    if (this.head !== null) this.head.prev = t;
    this.head = t;
    this.liveCount++;
    this.liveBytes += t.capacity;
    this.createdCount++;
  }

  /** @internal Unlinks a released tracker. */
  remove(t: LeakTracker): void {
    if (t.prev !== null) t.prev.next = t.next;
    else this.head = t.next;
    if (t.next !== null) t.next.prev = t.prev;
    t.prev = t.next = null;
    t.scope = null;
    this.liveCount--;
    this.liveBytes -= t.capacity;
  }

  /**
   * The live trackers, oldest first. A tracked resource whose release is only checked (`track()`
   * with a function) leaves the ledger here, once its check says it was released.
   */
  live(): LeakTracker[] {
    const out: LeakTracker[] = [];
    const released: LeakTracker[] = [];
    for (let t = this.head; t !== null; t = t.next) {
      if (t.resource?.isReleased?.() === true) released.push(t);
      else out.push(t);
    }
    for (const t of released) t.close();
    return out.reverse();
  }

  /**
   * Adds a `touch` record with `hint` to every live buffer of this scope created after ledger id
   * `afterId` (e.g. a `ledger.checkpoint().lastId`), including buffers made out of the caller's
   * sight (a channel's wrappers), so their path names the unit of work that made them. Returns
   * how many were touched. Records are kept only at levels that keep records.
   */
  touchCreatedSince(afterId: number, hint: string): number {
    let n = 0;
    // Newest first: stop at the first tracker at or below `afterId` (ids grow with creation).
    for (let t = this.head; t !== null && t.id > afterId; t = t.next) {
      t.record('touch', t.refCnt, hint);
      n++;
    }
    return n;
  }

  /** True when nothing is live and no misuse was seen. */
  isClean(): boolean {
    return (this.liveCount === 0 || this.live().length === 0) && this.misuses.length === 0;
  }

  /** The report of what is live now (the leaks, if the work is done) and the misuses seen. */
  report(): LeakReport {
    return buildLeakReport(this);
  }

  /**
   * Netty 4.2's `ResourceScope.check()`: throws a `LeakError` with the grouped report if anything
   * is still live or a misuse was seen; returns quietly otherwise.
   */
  check(): void {
    if (!this.isClean()) throw new LeakError(this.report());
  }

  /**
   * `check()`, for `using`: a scope declared with `using` is checked when its block ends (a scope
   * from `ledger.enterScope()` is left first, so code after the block no longer counts in it).
   */
  [Symbol.dispose](): void {
    this.check();
  }
}

/** A point in the ledger's history: `toHaveNoNewLeaksSince(checkpoint)` compares against it. */
export interface LedgerCheckpoint {
  readonly scope: LeakScope;
  /** Buffers with an id above this were created after the checkpoint. */
  readonly lastId: number;
  readonly misuseCount: number;
}
