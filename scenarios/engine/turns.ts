/**
 * The engine's own waits for a turn of the event loop. Their immediates are marked, so that a
 * runner's open-handle check (which captures a stack for every timer a replay makes) can leave
 * them out: the engine always lets them run or clears them before the step ends, and a replay
 * makes one or two per step.
 * @packageDocumentation
 */

/** Set on the callback of each immediate the engine makes for itself (shared by every copy). */
export const ENGINE_TURN: unique symbol = Symbol.for('bytebuf-leak-harness.engine-turn') as never;

/** `setImmediate(fn)`, marked as the engine's own (see {@link ENGINE_TURN}). */
export function engineImmediate(fn: () => void): NodeJS.Immediate {
  const callback = (): void => fn();
  (callback as { [ENGINE_TURN]?: true })[ENGINE_TURN] = true;
  return setImmediate(callback);
}

/** A promise settled in the next turn of the event loop, after the immediates already queued. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => engineImmediate(resolve));
}

/** True for an async resource that is one of the engine's immediates (an `init` hook's `resource`). */
export function isEngineTurn(resource: object): boolean {
  const callback = (resource as { _onImmediate?: unknown })._onImmediate;
  return typeof callback === 'function' && (callback as { [ENGINE_TURN]?: true })[ENGINE_TURN] === true;
}
