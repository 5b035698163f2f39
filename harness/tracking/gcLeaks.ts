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
import type { LeakTracker } from './LeakTracker';
import { formatNettyLeak } from './nettyFormat';
import { sharedPart } from './sharedState';
import { materializeStack } from './stack';

/** A buffer reported by the GC path. */
export interface GcLeak {
  bufferId: number;
  /** Netty's text, starting `LEAK: ByteBuf.release() was not called before it's garbage-collected.` */
  text: string;
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

/** The GC path's state, shared by every copy of the harness (see `sharedState.ts`). */
interface GcState {
  readonly listeners: Set<GcLeakListener>;
  /** Reports not yet handed to a caller of `collectGarbage` or `drainGcLeaks`, oldest first. */
  readonly pending: GcLeak[];
  /** Newest watched tracker; watched trackers form an intrusive list through `gcPrev`/`gcNext`. */
  watchedHead: LeakTracker | null;
  /** The one registry of watched buffers. */
  readonly registry: FinalizationRegistry<GcWatch>;
  gcFn: (() => void) | undefined;
}

function unlinkWatched(t: LeakTracker): void {
  if (t.gcPrev !== null) t.gcPrev.gcNext = t.gcNext;
  else if (gcState.watchedHead === t) gcState.watchedHead = t.gcNext;
  if (t.gcNext !== null) t.gcNext.gcPrev = t.gcPrev;
  t.gcPrev = t.gcNext = null;
}

/** The registry's callback: reports a dropped watched buffer. */
function finalized(watch: GcWatch): void {
  const tracker = watch.tracker;
  if (tracker === null) return;
  watch.tracker = null;
  tracker.gcWatch = null;
  unlinkWatched(tracker);
  if (tracker.closed || tracker.gcReported) return;
  tracker.gcReported = true;
  const leak: GcLeak = { bufferId: tracker.id, text: formatNettyLeak(tracker) };
  gcState.pending.push(leak);
  if (gcState.listeners.size === 0) {
    // Like Netty's logger: a leak nobody listens for still reaches the developer.
    process.stderr.write(`${leak.text}\n`);
  }
  for (const l of gcState.listeners) l(leak);
}

const gcState: GcState = sharedPart('gc', () => ({
  listeners: new Set<GcLeakListener>(),
  pending: [],
  watchedHead: null,
  registry: new FinalizationRegistry<GcWatch>((watch) => finalized(watch)),
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

/** Subscribes to GC-path reports (a subscriber silences the default stderr output); returns the unsubscribe. */
export function onGcLeak(listener: GcLeakListener): () => void {
  gcState.listeners.add(listener);
  return () => gcState.listeners.delete(listener);
}

/** Returns the GC-path reports seen since the last call, and forgets them. */
export function drainGcLeaks(): GcLeak[] {
  return gcState.pending.splice(0, gcState.pending.length);
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

/**
 * Forces garbage collection and waits until finalization callbacks have run. First it formats the
 * captured stacks of watched buffers (cost: one stack format per record of each live tracked
 * buffer), which would otherwise keep dropped buffers reachable. Then a canary object is
 * registered, dropped, and collection is repeated until the canary's callback fires (finalizers
 * run later, on a macrotask). Returns the GC-path leaks reported meanwhile (and drains them).
 * Throws if the canary is not finalized within `timeoutMs`.
 */
export async function collectGarbage(timeoutMs = 5000): Promise<GcLeak[]> {
  const gc = getGc();
  materializeWatchedStacks();
  let canaryFinalized = false;
  const canaryRegistry = new FinalizationRegistry<string>(() => {
    canaryFinalized = true;
  });
  (function registerCanary() {
    canaryRegistry.register({ canary: true }, 'canary');
  })();
  const deadline = Date.now() + timeoutMs;
  while (!canaryFinalized) {
    gc();
    await tick();
    if (Date.now() > deadline) throw new Error(`collectGarbage: the canary was not finalized within ${timeoutMs} ms`);
  }
  // Other registries' callbacks from the same collection run in the same or the next macrotask.
  gc();
  await tick();
  await tick();
  return drainGcLeaks();
}
