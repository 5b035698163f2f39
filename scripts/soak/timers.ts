/**
 * Which timers a sequence leaves live. The channel arms its check-out timeouts with the global
 * `setTimeout`, so wrapping the global for the length of one sequence sees each of them; a timer
 * still live after `close()` would be an open handle. Tests use it too, to count the timers of
 * the code they run rather than the process's.
 * @packageDocumentation
 */

/** The live-timer count of the global `setTimeout`, from {@link watchTimers} until `stop()`. */
export interface TimerWatch {
  /** Timers made since the watch started that neither fired nor were cleared. */
  live(): number;
  /** Timers made since the watch started. */
  made(): number;
  /** Puts the real `setTimeout`/`clearTimeout` back. */
  stop(): void;
}

/** Starts counting live timers; one watch at a time (sequences run one after the other). */
export function watchTimers(): TimerWatch {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const live = new Set<unknown>();
  let made = 0;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    made++;
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
    made: () => made,
    stop: () => {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}
