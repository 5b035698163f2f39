/**
 * @internal The work a watched ledger scope started and that has not finished yet: timers
 * (`setTimeout`, `setInterval`, `setImmediate`, and their `node:timers` or `timers/promises`
 * equivalents) and one-shot I/O requests (`fs` calls, DNS lookups).
 * The sanitizer waits for this work, not for a span of wall clock, before it judges a test.
 *
 * The ledger's async context hook (`scopeContext.ts`) hands over every `Timeout`, `Immediate` and
 * request Node creates while a scope is active, in the async context of the code that created it,
 * so work started in a callback after an `await` is blamed on the test that started it. That hook
 * is off while no scope is active: the sanitizer's session keeps it on until its file is checked.
 * Whether a timer is still pending is read from Node's `_destroyed` flag, which Node sets when a
 * timer fires (one-shot) or is cleared. A request is done when Node is about to run its callback: a `before` hook, enabled only while a recorded
 * request is pending (it would otherwise run for every promise reaction). No destroy hook: it
 * would make Node track every promise for garbage collection. Long-lived handles (servers,
 * sockets, file handles, child processes, workers, zlib streams) are not work that finishes on its
 * own: with resources on, the same hook records them (`harness/resources/nodeResources.ts`), and
 * keeps the creation site of requests that may stand for a promise a test did not await
 * (`harness/resources/pendingOps.ts`). Jest's fake timers create no Node timers and are not seen
 * here (`jest.getTimerCount()` covers them).
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { onBeforeCollect } from '../tracking/gcLeaks';
import { ledger } from '../tracking/LeakDetection';
import { addResourceListener } from '../tracking/scopeContext';
import type { LeakScope } from '../tracking/LeakScope';
import { captureStack, materializeStack, stackCapture, type CapturedStack } from '../tracking/stack';
import { isResourceOpen, resourceKindOf, type ResourceRecord } from '../resources/nodeResources';
import { mayBePromiseOp, type RequestRecord } from '../resources/pendingOps';

/** How a timer was made. */
export type TimerKind = 'setTimeout' | 'setInterval' | 'setImmediate';

/** A timer created while a watched scope was current. */
export interface TimerRecord {
  readonly kind: TimerKind;
  /** The delay (ms) of a timeout or interval; undefined for an immediate. */
  readonly delayMs: number | undefined;
  /** `performance.now()` when it was created: with the delay, when it is due. */
  readonly startedAt: number;
  readonly createdAt: CapturedStack;
  /**
   * Node's timer object (a `Timeout` or an `Immediate`), held weakly: a strong reference would keep
   * a fired timer's callback, and everything its closure holds, alive until the test ends (so the
   * GC path could not report a buffer dropped in that callback). Node itself holds pending timers.
   */
  readonly handle: WeakRef<NodeTimerHandle>;
}

interface NodeTimerHandle {
  _destroyed?: boolean;
  hasRef?: () => boolean;
}

/** True while the timer has neither fired (one-shot) nor been cleared. */
export function isPending(timer: TimerRecord): boolean {
  const handle = timer.handle.deref();
  return handle !== undefined && handle._destroyed !== true;
}

/** True when the timer keeps the process alive (not `unref()`ed). */
export function isRefed(timer: TimerRecord): boolean {
  const handle = timer.handle.deref();
  if (handle === undefined) return false;
  return typeof handle.hasRef === 'function' ? handle.hasRef() : true;
}

/**
 * True when the pending timer will have fired by `deadline` (a `performance.now()` time) on its
 * own: an immediate, or a timeout due by then. An interval never finishes, and a timeout due later
 * is not worth the wait: both are judged at once.
 */
export function firesBy(timer: TimerRecord, deadline: number): boolean {
  if (!isPending(timer) || timer.kind === 'setInterval') return false;
  return timer.kind === 'setImmediate' || timer.startedAt + (timer.delayMs ?? 1) <= deadline;
}

/**
 * Async resource types of one-shot requests whose callback Node always runs, once, later: `fs`
 * calls (callback and promise forms, a `FileHandle`'s close) and DNS lookups and queries. Not socket
 * writes, shutdowns or sync crypto jobs: those can complete synchronously without a callback, and
 * would look pending for ever.
 */
const REQUEST_TYPES: ReadonlySet<string> = new Set([
  'FSREQCALLBACK',
  'FSREQPROMISE',
  'FILEHANDLECLOSEREQ',
  'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP',
  'QUERYWRAP',
]);

/** Every this many records, fired and cleared timers are dropped from a scope's list. */
const PRUNE_AT = 1024;

interface NodeTimeout {
  _idleTimeout?: number;
  _repeat?: number | null;
}

/** What one watched scope started. */
interface ScopeWork {
  readonly timers: TimerRecord[];
  /** Node resources it created (open or not), when resources are recorded. */
  readonly resources: ResourceRecord[];
  /** Requests started and whose callback has not run yet. */
  requests: number;
  /** Set once its scope is no longer watched. */
  unwatched: boolean;
}

/** A pending request, with the work it counts in. */
interface PendingRequest {
  readonly work: ScopeWork;
  readonly record: RequestRecord;
}

/** Frames a resource's creation stack keeps at least: Node's own frames come before the caller's. */
const RESOURCE_STACK_DEPTH = 40;

/** Records the timers and requests (and, with resources on, the Node resources) created in watched scopes. */
export class PendingWork {
  private readonly watched = new Map<LeakScope, ScopeWork>();
  /** Pending requests by async id. */
  private readonly requests = new Map<number, PendingRequest>();
  private removeListener: (() => void) | null = null;
  private removeBeforeCollect: (() => void) | null = null;
  private readonly beforeHook: AsyncHook;
  private beforeEnabled = false;
  /** The request whose callback ran last: Node makes a `FileHandle` inside its `open` request's callback. */
  private lastDone: (PendingRequest & { readonly asyncId: number }) | null = null;
  /**
   * Sites of the ticks `dns.lookup()` queues for an IP address (`server.listen(port, '127.0.0.1')`
   * makes its handle in that tick, with no frame of the user's), by async id; the newest few.
   */
  private readonly lookupTicks = new Map<number, CapturedStack>();
  /** A FileHandle made outside every async context, waiting for the request it belongs to (see `init`). */
  private orphan: { readonly asyncId: number; readonly resource: object } | null = null;

  /** `withResources`: also record Node resources and the sites of requests that may be promises'. */
  constructor(private readonly withResources = false) {
    const requests = this.requests;
    this.beforeHook = createHook({
      before: (asyncId: number): void => {
        const pending = requests.get(asyncId);
        const orphan = this.orphan;
        this.orphan = null;
        if (pending === undefined) return;
        if (orphan !== null && pending.record.type === 'FSREQPROMISE') adoptFileHandle(pending, orphan.asyncId, asyncId, orphan.resource);
        requests.delete(asyncId);
        pending.work.requests--;
        this.lastDone = { asyncId, work: pending.work, record: pending.record };
        if (requests.size === 0) this.setBeforeHook(false);
      },
    });
  }

  /** Starts recording the work started while `scope` is current. */
  watch(scope: LeakScope): void {
    this.watched.set(scope, { timers: [], resources: [], requests: 0, unwatched: false });
  }

  /** Stops recording for `scope` and returns the timers it created (pending or not). */
  unwatch(scope: LeakScope): TimerRecord[] {
    const work = this.watched.get(scope);
    if (work === undefined) return [];
    this.watched.delete(scope);
    work.unwatched = true;
    if (work.requests > 0) {
      for (const [id, p] of this.requests) if (p.work === work) this.requests.delete(id);
      if (this.requests.size === 0) this.setBeforeHook(false);
    }
    return work.timers;
  }

  /** Drops `scope`'s fired and cleared timers and its closed resources (and their stacks), keeping it watched. */
  forgetFinished(scope: LeakScope): void {
    const work = this.watched.get(scope);
    if (work === undefined) return;
    keepPending(work.timers);
    const open = work.resources.filter(isResourceOpen);
    work.resources.length = 0;
    work.resources.push(...open);
  }

  /** The Node resources `scope` created so far (open or not; empty when resources are not recorded). */
  resources(scope: LeakScope): readonly ResourceRecord[] {
    return this.watched.get(scope)?.resources ?? [];
  }

  /** The requests `scope` started whose callback has not run yet. */
  pendingRequests(scope: LeakScope): RequestRecord[] {
    const work = this.watched.get(scope);
    if (work === undefined || work.requests === 0) return [];
    const out: RequestRecord[] = [];
    for (const p of this.requests.values()) if (p.work === work) out.push(p.record);
    return out;
  }

  /** The timers `scope` created so far (pending or not). */
  timers(scope: LeakScope): TimerRecord[] {
    return this.watched.get(scope)?.timers ?? [];
  }

  /** The timers `scope` created so far that are still pending. */
  pending(scope: LeakScope): TimerRecord[] {
    return this.timers(scope).filter(isPending);
  }

  /** True when one of `scope`'s pending timers will fire by `deadline` (see `firesBy`). */
  hasTimerFiringBy(scope: LeakScope, deadline: number): boolean {
    return this.timers(scope).some((t) => firesBy(t, deadline));
  }

  /** True when `scope` has work that will finish by `deadline`: a timer firing by then, or a request. */
  hasWorkFinishingBy(scope: LeakScope, deadline: number): boolean {
    return (this.watched.get(scope)?.requests ?? 0) > 0 || this.hasTimerFiringBy(scope, deadline);
  }

  /** The work that recorded the server of async id `asyncId`, if a watched scope did. */
  private serverWork(asyncId: number): ScopeWork | undefined {
    for (const work of this.watched.values()) {
      if (work.resources.some((r) => r.asyncId === asyncId && r.kind === 'server')) return work;
    }
    return undefined;
  }

  /** Starts listening to the async context's resources (process-wide). */
  enable(): void {
    if (this.removeListener !== null) return;
    // A timer's unformatted creation stack keeps its frames' closures (and the buffers they hold)
    // alive: format them before a forced collection, as the GC path does for trackers' stacks.
    this.removeBeforeCollect = onBeforeCollect(() => {
      for (const work of this.watched.values()) {
        for (const t of work.timers) materializeStack(t.createdAt);
        for (const r of work.resources) {
          materializeStack(r.createdAt);
          materializeStack(r.requestStack);
        }
      }
      for (const p of this.requests.values()) materializeStack(p.record.createdAt);
    });
    const withResources = this.withResources;
    const watched = this.watched;
    const requests = this.requests;
    this.removeListener = addResourceListener(
      (asyncId: number, type: string, trigger: number, resource: object): void => {
        // Work started in a nested scope (a ledger.scoped() inside the test) is the test's too.
        let scope: LeakScope | null = ledger.current();
        let work = watched.get(scope);
        while (work === undefined && scope.parent !== null) {
          scope = scope.parent;
          work = watched.get(scope);
        }
        if (work === undefined) {
          // Node makes an fs/promises open's FileHandle outside any async context, just before it
          // runs that request's callback: the next `before` of a pending FSREQPROMISE adopts it.
          if (withResources && type === 'FILEHANDLE' && requests.size > 0) this.orphan = { asyncId, resource };
          // A server's accepted connection is made before Node enters the server's callback: its
          // trigger is the server, and it is the work of whoever opened that server.
          if (withResources && (type === 'TCPWRAP' || type === 'PIPEWRAP')) work = this.serverWork(trigger);
          if (work === undefined) return;
        }
        if (type === 'TickObject') {
          if (withResources && isIpLookupTick(resource)) {
            this.lookupTicks.set(asyncId, captureDeepStack());
            if (this.lookupTicks.size > LOOKUP_TICKS_KEPT) this.lookupTicks.delete(this.lookupTicks.keys().next().value as number);
          }
        } else if (type === 'Timeout' || type === 'Immediate') {
          recordTimer(work.timers, type, resource);
        } else if (REQUEST_TYPES.has(type)) {
          const kept = withResources && mayBePromiseOp(type);
          const record: RequestRecord = {
            type,
            createdAt: kept ? captureDeepStack() : undefined,
            request: kept ? new WeakRef(resource) : undefined,
          };
          requests.set(asyncId, { work, record });
          work.requests++;
          this.setBeforeHook(true);
        } else if (withResources) {
          const kind = resourceKindOf(type);
          if (kind !== undefined) {
            // Made in a request's callback (no frame of the user's): the request's site is the one to show.
            const parent = requests.get(trigger)?.record ?? (this.lastDone?.asyncId === trigger ? this.lastDone.record : undefined);
            work.resources.push({
              kind,
              type,
              asyncId,
              triggerId: trigger,
              createdAt: captureDeepStack(),
              requestStack: parent?.createdAt ?? this.lookupTicks.get(trigger),
              handle: new WeakRef(resource),
            });
          }
        }
      },
    );
  }

  /** Stops listening (the async context may switch off); the records stay readable. */
  disable(): void {
    this.removeListener?.();
    this.removeListener = null;
    this.removeBeforeCollect?.();
    this.removeBeforeCollect = null;
    this.requests.clear();
    this.lastDone = null;
    this.orphan = null;
    this.lookupTicks.clear();
    for (const work of this.watched.values()) work.requests = 0;
    this.setBeforeHook(false);
  }

  private setBeforeHook(on: boolean): void {
    if (on === this.beforeEnabled) return;
    this.beforeEnabled = on;
    if (on) this.beforeHook.enable();
    else this.beforeHook.disable();
  }
}

/** How many `dns.lookup()` ticks' sites are kept (a handle is made in the tick right after its lookup). */
const LOOKUP_TICKS_KEPT = 16;

/** True for the tick `dns.lookup()` queues to answer for an IP address: `callback(null, address, family)`. */
function isIpLookupTick(resource: object): boolean {
  const args = (resource as { args?: unknown }).args;
  return Array.isArray(args) && args.length === 3 && args[0] === null && typeof args[1] === 'string' && (args[2] === 4 || args[2] === 6);
}

/** Records the FileHandle an fs/promises open request made, in that request's work, at its site. */
function adoptFileHandle(request: PendingRequest, asyncId: number, requestId: number, handle: object): void {
  if (request.work.unwatched) return;
  const site = request.record.createdAt ?? {};
  request.work.resources.push({
    kind: 'file-handle',
    type: 'FILEHANDLE',
    asyncId,
    triggerId: requestId,
    createdAt: site,
    requestStack: request.record.createdAt,
    handle: new WeakRef(handle),
  });
}

/** A creation stack deep enough to get past Node's own frames (a socket of an HTTP request is made deep in `node:http`). */
function captureDeepStack(): CapturedStack {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(stackCapture.depth, RESOURCE_STACK_DEPTH);
  Error.captureStackTrace(holder, captureDeepStack);
  Error.stackTraceLimit = previous;
  return holder;
}

function recordTimer(list: TimerRecord[], type: 'Timeout' | 'Immediate', resource: object): void {
  const t = resource as NodeTimeout;
  const kind: TimerKind = type === 'Immediate' ? 'setImmediate' : typeof t._repeat === 'number' ? 'setInterval' : 'setTimeout';
  list.push({
    kind,
    delayMs: type === 'Immediate' ? undefined : t._idleTimeout,
    startedAt: performance.now(),
    createdAt: captureStack(),
    handle: new WeakRef(resource as NodeTimerHandle),
  });
  // A test that makes many short-lived timers keeps only the pending ones.
  if (list.length >= PRUNE_AT && list.length % PRUNE_AT === 0) keepPending(list);
}

function keepPending(list: TimerRecord[]): void {
  const pending = list.filter(isPending);
  list.length = 0;
  list.push(...pending);
}
