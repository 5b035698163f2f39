/**
 * Running a test's (or a hook's) function inside a ledger scope, as a drop-in replacement for the
 * function the runner calls. `AsyncLocalStorage.enterWith` from a `beforeEach` does not reach the
 * test body in jest, vitest or node:test (each runs hooks and body in separate async contexts), so
 * the function itself is wrapped: everything it runs, and the work it starts (callbacks,
 * continuations after `await`, timers), stays in the scope.
 * @packageDocumentation
 */
import { ledger } from '../tracking/LeakDetection';
import type { LeakScope } from '../tracking/LeakScope';

/** Anything with a ledger scope: a `TestRun`, or a session's `file`. */
export interface ScopeOwner {
  readonly scope: LeakScope;
}

/** Where a wrapped function runs: a fixed owner, or one looked up each time it is called. */
export type ScopeSource = ScopeOwner | (() => ScopeOwner | undefined);

/** A function a test runner calls (with `done`, a context, or nothing). */
export type RunnerFn = (this: any, ...args: any[]) => any;

const ORIGINAL = Symbol.for('bytebuf-leak-harness.sanitizer.wrapped');

function isGeneratorFunction(fn: RunnerFn): boolean {
  return (fn as { constructor?: { name?: string } }).constructor?.name === 'GeneratorFunction';
}

/** The function `wrapped` stands for, if it is a wrapper made by `inScope` (by any copy of the harness). */
export function unwrapped<F extends RunnerFn>(fn: F): F {
  return ((fn as { [ORIGINAL]?: F })[ORIGINAL] ?? fn) as F;
}

/**
 * `fn` wrapped to run inside the scope of `source` (looked up at each call when it is a function;
 * when that gives undefined, `fn` runs as it is). The wrapper has `fn`'s `this`, arguments, return
 * value and `length` (runners pass `done` to functions that declare a parameter), so it can
 * replace `fn` wherever the runner reads it. Wrapping a wrapper wraps its original, so a retried
 * test is never run in two scopes. Generator functions (which jest runs through `co`) are returned
 * as they are: their buffers are counted in whatever scope is current.
 */
export function inScope<F extends RunnerFn>(fn: F, source: ScopeSource): F {
  if (isGeneratorFunction(fn)) return fn;
  const original = unwrapped(fn);
  const ownerOf = typeof source === 'function' ? source : (): ScopeOwner => source;
  const wrapped = function scoped(this: unknown, ...args: unknown[]): unknown {
    const owner = ownerOf();
    return owner === undefined ? original.apply(this, args) : ledger.runIn(owner.scope, () => original.apply(this, args));
  };
  Object.defineProperty(wrapped, 'length', { value: original.length });
  Object.defineProperty(wrapped, 'name', { value: original.name });
  Object.defineProperty(wrapped, ORIGINAL, { value: original });
  return wrapped as unknown as F;
}
