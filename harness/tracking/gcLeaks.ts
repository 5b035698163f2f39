/**
 * The GC path: buffers dropped without `release()` are reported after garbage collection, in
 * Netty's `LEAK:` format. The registry holds the tracker (which never references its buffer),
 * so registration does not keep the buffer alive.
 * @packageDocumentation
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { LeakTracker } from './LeakTracker';
import { formatNettyLeak } from './nettyFormat';

/** A buffer reported by the GC path. */
export interface GcLeak {
  bufferId: number;
  /** Netty's text, starting `LEAK: ByteBuf.release() was not called before it's garbage-collected.` */
  text: string;
}

type GcLeakListener = (leak: GcLeak) => void;
const listeners = new Set<GcLeakListener>();
const pending: GcLeak[] = [];

const registry = new FinalizationRegistry<LeakTracker>((tracker) => {
  if (tracker.closed || tracker.gcReported) return;
  tracker.gcReported = true;
  const leak: GcLeak = { bufferId: tracker.id, text: formatNettyLeak(tracker) };
  pending.push(leak);
  if (listeners.size === 0) {
    // Like Netty's logger: a leak nobody listens for still reaches the developer.
    process.stderr.write(`${leak.text}\n`);
  }
  for (const l of listeners) l(leak);
});

/** @internal Watches `buffer` for collection while unreleased. */
export function watchForGc(buffer: object, tracker: LeakTracker): void {
  registry.register(buffer, tracker);
}

/** Subscribes to GC-path reports (a subscriber silences the default stderr output); returns the unsubscribe. */
export function onGcLeak(listener: GcLeakListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Returns the GC-path reports seen since the last call, and forgets them. */
export function drainGcLeaks(): GcLeak[] {
  return pending.splice(0, pending.length);
}

let gcFn: (() => void) | undefined;

/** Node's `gc()`: `--expose-gc` if given, else enabled at run time through V8 flags. */
function getGc(): () => void {
  if (gcFn !== undefined) return gcFn;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    gcFn = exposed;
  } else {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  return gcFn;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Forces garbage collection and waits until finalization callbacks have run: a canary object is
 * registered, dropped, and collection is repeated until the canary's callback fires (finalizers
 * run later, on a macrotask). Returns the GC-path leaks reported meanwhile (and drains them).
 * Throws if the canary is not finalized within `timeoutMs`.
 */
export async function collectGarbage(timeoutMs = 5000): Promise<GcLeak[]> {
  const gc = getGc();
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
