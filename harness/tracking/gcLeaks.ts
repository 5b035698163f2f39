/**
 * The GC path: buffers dropped without `release()` are reported after garbage collection, in
 * Netty's `LEAK:` format. The registry holds the tracker (which never references its buffer),
 * so registration does not keep the buffer alive.
 *
 * But until it is formatted, a captured stack keeps each frame's receiver and function alive, and
 * a tracker's stacks can so hold its own buffer (a closure that released or touched it, a method of
 * an object holding it). Two things keep that from pinning buffers through the registry:
 * - the final release empties the registration (Netty's `DefaultResourceLeak.close()`), else
 *   every tracked buffer that ever had such a record would stay in memory for good;
 * - `collectGarbage` formats the stacks of every watched (live) buffer before it collects, so a
 *   dropped buffer becomes collectable. Without it, a dropped buffer whose own stacks hold it is
 *   reported only after the next `collectGarbage()`, not by a collection V8 starts by itself.
 * (The harness cuts its own frames when capturing, so its methods, whose receiver is the buffer,
 * are never among them.)
 * @packageDocumentation
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { HarnessError, IllegalArgumentException } from '../errors';
import { ids } from './ids';
import type { LeakScope } from './LeakScope';
import type { LeakTracker } from './LeakTracker';
import { formatNettyLeak } from './nettyFormat';
import { sharedPart } from './sharedState';
import { materializeStack } from './stack';

/** A buffer reported by the GC path. */
export interface GcLeak {
  bufferId: number;
  /** Netty's text, starting `LEAK: ByteBuf.release() was not called before it's garbage-collected.` */
  text: string;
  /**
   * The ledger scope that counted the buffer; null when the exact ledger was off when it was made.
   * A non-enumerable property: JSON and deep equality see only `bufferId` and `text`.
   */
  scope?: LeakScope | null;
}

type GcLeakListener = (leak: GcLeak) => void;

/**
 * @internal What the registry holds for one buffer: a small box around its tracker, emptied at
 * the final release. V8 keeps a registration's cell (and so what it holds) in old space, even once
 * unregistered: holding the tracker itself there promoted every tracker and its captured stacks
 * out of the young generation (about 7x the garbage-collection time at `paranoid`).
 */
export interface GcWatch {
  tracker: LeakTracker | null;
}

/** What the registry holds for `collectGarbage`'s completion marker: set once it is finalized. */
interface GcMarker {
  finalized: boolean;
}

/** The GC path's state, shared by every copy of the harness (see `sharedState.ts`). */
interface GcState {
  readonly listeners: Set<GcLeakListener>;
  /** Reports not yet handed to a caller of `collectGarbage` or `drainGcLeaks`, oldest first. */
  readonly pending: GcLeak[];
  /** Newest watched tracker; watched trackers form an intrusive list through `gcPrev`/`gcNext`. */
  watchedHead: LeakTracker | null;
  /** The one registry: buffers' watches and completion markers. */
  readonly registry: FinalizationRegistry<GcWatch | GcMarker>;
  gcFn: (() => void) | undefined;
  /** Called before each forced collection (see `onBeforeCollect`); made on first use. */
  beforeCollect?: Set<() => void>;
  /** Full collections `collectGarbage` has forced in this process (absent until the first). */
  forcedCollections?: number;
}

function unlinkWatched(t: LeakTracker): void {
  if (t.gcPrev !== null) t.gcPrev.gcNext = t.gcNext;
  else if (gcState.watchedHead === t) gcState.watchedHead = t.gcNext;
  if (t.gcNext !== null) t.gcNext.gcPrev = t.gcPrev;
  t.gcPrev = t.gcNext = null;
}

/** The registry's callback: reports a dropped watched buffer, or notes that a marker was finalized. */
function finalized(held: GcWatch | GcMarker): void {
  if ('finalized' in held) {
    held.finalized = true;
    return;
  }
  const tracker = held.tracker;
  if (tracker === null) return;
  held.tracker = null;
  tracker.gcWatch = null;
  unlinkWatched(tracker);
  if (tracker.closed || tracker.gcReported) return;
  tracker.gcReported = true;
  const leak: GcLeak = { bufferId: tracker.id, text: formatNettyLeak(tracker) };
  // Not enumerable: a report is plain data (JSON, equality), and a scope links to its whole ledger.
  Object.defineProperty(leak, 'scope', { value: tracker.scope, enumerable: false });
  gcState.pending.push(leak);
  if (gcState.listeners.size === 0) {
    // Like Netty's logger: a leak nobody listens for still reaches the developer.
    process.stderr.write(`${leak.text}\n`);
  }
  for (const l of gcState.listeners) {
    // A throw would end V8's run of this registry's callbacks early, and `collectGarbage` could
    // complete before the rest ran: rethrow it outside the registry's turn instead.
    try {
      l(leak);
    } catch (error) {
      setImmediate(() => {
        throw error;
      });
    }
  }
}

const gcState: GcState = sharedPart('gc', () => ({
  listeners: new Set<GcLeakListener>(),
  pending: [],
  watchedHead: null,
  registry: new FinalizationRegistry<GcWatch | GcMarker>((held) => finalized(held)),
  gcFn: undefined,
}));

/** @internal Watches `buffer` for collection while unreleased. */
export function watchForGc(buffer: object, tracker: LeakTracker): void {
  const watch: GcWatch = { tracker };
  // The box is also the unregister token (held weakly by the registry).
  gcState.registry.register(buffer, watch, watch);
  tracker.gcWatch = watch;
  const head = gcState.watchedHead;
  tracker.gcNext = head;
  if (head !== null) head.gcPrev = tracker;
  gcState.watchedHead = tracker;
}

/** @internal Stops watching a released buffer (Netty's `DefaultResourceLeak.close()`). */
export function unwatchForGc(tracker: LeakTracker): void {
  const watch = tracker.gcWatch;
  if (watch === null) return;
  watch.tracker = null;
  tracker.gcWatch = null;
  gcState.registry.unregister(watch);
  unlinkWatched(tracker);
}

/** Formats the captured stacks of every watched (live, unreleased) buffer; see the module comment. */
function materializeWatchedStacks(): void {
  for (let t = gcState.watchedHead; t !== null; t = t.gcNext) {
    materializeStack(t.createdAt);
    if (t.records !== null) for (const r of t.records) materializeStack(r.stack);
  }
}

/**
 * @internal Runs `hook` before each forced collection, to format stacks captured outside the
 * trackers (the jest sanitizer's timer records) that would otherwise keep dropped buffers
 * reachable through their frames' closures. Returns the unsubscribe.
 */
export function onBeforeCollect(hook: () => void): () => void {
  const hooks = (gcState.beforeCollect ??= new Set());
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** Subscribes to GC-path reports (a subscriber silences the default stderr output); returns the unsubscribe. */
export function onGcLeak(listener: GcLeakListener): () => void {
  gcState.listeners.add(listener);
  return () => gcState.listeners.delete(listener);
}

/** Returns every GC-path report not yet handed out (by this or by `collectGarbage`), and forgets them. */
export function drainGcLeaks(): GcLeak[] {
  return gcState.pending.splice(0, gcState.pending.length);
}

/** A point in the GC path's history: `collectGarbage({ since })` returns only buffers made after it. */
export interface GcCheckpoint {
  /** Buffers with an id above this were made after the checkpoint (a `LedgerCheckpoint` has it too). */
  readonly lastId: number;
}

/** A checkpoint of the buffers made so far, for `collectGarbage({ since })`. */
export function gcCheckpoint(): GcCheckpoint {
  return { lastId: ids.last };
}

/** What `collectGarbage` waits for and which reports it returns. */
export interface CollectGarbageOptions {
  /** Fails with a `GcTimeoutError` when collection has not completed by then; default 5000 ms. */
  timeoutMs?: number;
  /** Only buffers made after this checkpoint (`gcCheckpoint()` or `ledger.checkpoint()`). */
  since?: GcCheckpoint;
  /** Only buffers the exact ledger counted in this scope. */
  scope?: LeakScope;
}

/** `collectGarbage` did not see its collection complete in time. */
export class GcTimeoutError extends HarnessError {
  override readonly name = 'GcTimeoutError';
  readonly code = 'ERR_GC_TIMEOUT';
}

/** Node's `gc()`: `--expose-gc` if given, else enabled at run time through V8 flags. */
function getGc(): () => void {
  if (gcState.gcFn !== undefined) return gcState.gcFn;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    gcState.gcFn = exposed;
  } else {
    v8.setFlagsFromString('--expose-gc');
    gcState.gcFn = vm.runInNewContext('gc') as () => void;
  }
  return gcState.gcFn;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Forces one full collection, and counts it. */
function forceCollection(gc: () => void): void {
  gcState.forcedCollections = (gcState.forcedCollections ?? 0) + 1;
  gc();
}

/**
 * @internal How many full collections `collectGarbage` has forced in this process: each one marks
 * the whole heap, so tests pin how many a piece of work costs.
 */
export function forcedCollections(): number {
  return gcState.forcedCollections ?? 0;
}

/**
 * A marker registered in the harness's registry; its target, dropped at once, is watched through a
 * weak reference too, which tells whether a collection found it dead (its callback is then due).
 */
function registerMarker(): { marker: GcMarker; target: WeakRef<object> } {
  const marker: GcMarker = { finalized: false };
  const target = {};
  gcState.registry.register(target, marker);
  return { marker, target: new WeakRef(target) };
}

/** The options with the default timeout, checked. */
function parseOptions(options: number | CollectGarbageOptions): CollectGarbageOptions & { timeoutMs: number } {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 5000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new IllegalArgumentException(`Expected timeoutMs to be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  if (o.since !== undefined && typeof o.since?.lastId !== 'number') {
    throw new IllegalArgumentException(`Expected since to be a checkpoint from gcCheckpoint() or ledger.checkpoint(), got ${String(o.since)}`);
  }
  return { ...o, timeoutMs };
}

/** Takes the pending reports `options` asks for out of the pending list; leaves the others there. */
function takePending(options: CollectGarbageOptions): GcLeak[] {
  const { since, scope } = options;
  if (since === undefined && scope === undefined) return drainGcLeaks();
  const taken: GcLeak[] = [];
  const kept: GcLeak[] = [];
  for (const leak of gcState.pending) {
    const wanted = (since === undefined || leak.bufferId > since.lastId) && (scope === undefined || leak.scope === scope);
    (wanted ? taken : kept).push(leak);
  }
  gcState.pending.splice(0, gcState.pending.length, ...kept);
  return taken;
}

/**
 * Forces garbage collection, waits until the harness's registry has reported every buffer dropped
 * before the call, and returns those reports (all pending ones, or those `options` asks for: the
 * others stay pending for their own caller). `options` may be the timeout in ms.
 *
 * First it formats the captured stacks of watched buffers (cost: one stack format per record of
 * each live tracked buffer), which would otherwise keep dropped buffers reachable. Completion is
 * certain: a marker is registered in the same registry as the buffers, and one full collection
 * finds it dead with every buffer dropped before. V8 runs the callbacks of all of a registry's
 * collected cells in one task, in no fixed order (newest first, among others), and this function
 * looks at the marker only from a later macrotask: once it sees the marker's callback has run,
 * so have all the others. (A marker in a registry of its own proved nothing: V8 runs one registry
 * per task, in no fixed order, so the harness's could still be waiting.) One forced collection
 * in the usual case, another only if the marker survived it. Rejects with a `GcTimeoutError` if
 * the marker is not finalized within `timeoutMs`.
 *
 * One thing outside the harness can keep a dropped buffer past a collection: while V8's optimizing
 * compiler compiles a closure on a helper thread it holds that closure, and so the closure's
 * context, until the main thread installs the code (milliseconds). A buffer held only by such a
 * context is reported by a later `collectGarbage()`; under `node --no-concurrent-recompilation`
 * never later.
 */
export async function collectGarbage(options: number | CollectGarbageOptions = {}): Promise<GcLeak[]> {
  const o = parseOptions(options);
  const gc = getGc();
  materializeWatchedStacks();
  if (gcState.beforeCollect !== undefined) for (const hook of gcState.beforeCollect) hook();
  const { marker, target } = registerMarker();
  const deadline = Date.now() + o.timeoutMs;
  // A WeakRef's target is kept until the current job ends (the marker's, and those the caller
  // touched): let the job end first.
  await tick();
  forceCollection(gc);
  while (!marker.finalized) {
    // Collected: its callback is due, wait for it. Else (rare) collect again, in the next job.
    const collected = target.deref() === undefined;
    await tick();
    if (marker.finalized) break;
    if (Date.now() > deadline) {
      throw new GcTimeoutError(`collectGarbage: the harness's finalization registry did not report within ${o.timeoutMs} ms`);
    }
    if (!collected) forceCollection(gc);
  }
  return takePending(o);
}
