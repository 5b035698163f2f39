/**
 * Which timers a sequence leaves live. The channel arms its check-out timeouts with the global
 * `setTimeout`, so wrapping the global for the length of one sequence sees each of them; a timer
 * still live after `close()` would be an open handle (`channels.md` 1).
 * @packageDocumentation
 */

/** The live-timer count of the global `setTimeout`, from {@link watchTimers} until `stop()`. */
export interface TimerWatch {
  /** Timers made since the watch started that neither fired nor were cleared. */
  live(): number;
  /** Puts the real `setTimeout`/`clearTimeout` back. */
  stop(): void;
}

/** Starts counting live timers; one watch at a time (sequences run one after the other). */
export function watchTimers(): TimerWatch {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const live = new Set<unknown>();
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = realSet(() => {
      live.delete(handle);
      fn(...args);
    }, ms);
    live.add(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle?: Parameters<typeof clearTimeout>[0]) => {
    live.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout;
  return {
    live: () => live.size,
    stop: () => {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}
