/**
 * @internal The async context that carries the current ledger scope, and when it costs anything.
 *
 * As with `AsyncLocalStorage`, an `async_hooks` init hook copies the current scope onto every async
 * resource (promises included) made while it is current, and the scope of the running code is read
 * back from `executionAsyncResource()`: buffers made in callbacks and after `await`s of work started
 * in a scope count in it. It replaces `AsyncLocalStorage` for the ledger for two reasons:
 * - Node 20's AsyncLocalStorage keeps its hook on (so V8 calls into JavaScript for every promise of
 *   the process) from its first `run` until `disable()`. This hook is on only while a scope is
 *   active (`activate`/`deactivate`, counted): a process that used scopes and ended them pays
 *   nothing per promise again.
 * - AsyncLocalStorage writes its slot on every new resource, an empty slot too: a property added to
 *   every promise. This hook writes only when a scope is current, so a promise made outside every
 *   scope while the hook is on (a test runner's own, between a test's functions) costs one read.
 *
 * The hook hands every other (non-promise) resource to the listeners that record a scope's pending
 * work (the sanitizer's `PendingWork`), so they need no init hook of their own: one would make V8
 * call it for every promise.
 * @packageDocumentation
 */
import { createHook, executionAsyncResource, type AsyncHook } from 'node:async_hooks';
import type { LeakScope } from './LeakScope';
import { sharedPart } from './sharedState';

/** The property of an async resource that holds its scope (`Symbol.for`: every copy of the harness writes the same). */
const SCOPE: unique symbol = Symbol.for('bytebuf-leak-harness.scopeContext.scope.v1') as never;

type Carrier = { [SCOPE]?: LeakScope };

/** Called with every non-promise async resource made while the hook is on. */
export type ResourceListener = (asyncId: number, type: string, triggerAsyncId: number, resource: object) => void;

/** The context's state, shared by every copy of the harness (see `sharedState.ts`). */
interface ContextState {
  readonly hook: AsyncHook;
  hookOn: boolean;
  /** Active holds: runs in scopes, entered scopes, sanitizer sessions. */
  active: number;
  readonly listeners: ResourceListener[];
}

const context: ContextState = sharedPart('scopeContext', () => {
  const listeners: ResourceListener[] = [];
  const hook = createHook({
    init(asyncId: number, type: string, triggerAsyncId: number, resource: object): void {
      const scope = (executionAsyncResource() as Carrier)[SCOPE];
      if (scope !== undefined) (resource as Carrier)[SCOPE] = scope;
      if (type === 'PROMISE') return;
      for (let i = 0; i < listeners.length; i++) listeners[i]!(asyncId, type, triggerAsyncId, resource);
    },
  });
  return { hook, hookOn: false, active: 0, listeners };
});

function setHook(on: boolean): void {
  if (on === context.hookOn) return;
  context.hookOn = on;
  if (on) context.hook.enable();
  else context.hook.disable();
}

/** Starts an active hold: the hook is on until the matching `deactivate`. */
export function activate(): void {
  context.active++;
  setHook(true);
}

/** Ends an active hold; the last one switches the hook off. */
export function deactivate(): void {
  if (--context.active === 0) setHook(false);
}

/**
 * The scope stored on the running code's async resource (open or not); undefined when there is
 * none, or while the hook is off: no scope is active then, and what a resource kept from an
 * earlier one is stale.
 */
export function storedScope(): LeakScope | undefined {
  return context.hookOn ? (executionAsyncResource() as Carrier)[SCOPE] : undefined;
}

/** Stores `scope` on the running code's async resource: it holds for the rest of this execution and what it starts. */
export function storeScope(scope: LeakScope | undefined): void {
  (executionAsyncResource() as Carrier)[SCOPE] = scope;
}

/**
 * Runs `fn` with `scope` stored on the running code's async resource, then puts the previous one
 * back (`AsyncLocalStorage.run`). The caller keeps the hook on (`activate`) around it.
 */
export function runStored<T>(scope: LeakScope, fn: () => T): T {
  const resource = executionAsyncResource() as Carrier;
  const previous = resource[SCOPE];
  if (previous === scope) return fn();
  resource[SCOPE] = scope;
  try {
    return fn();
  } finally {
    resource[SCOPE] = previous;
  }
}

/** Adds a listener of non-promise resources; returns a function that removes it. */
export function addResourceListener(listener: ResourceListener): () => void {
  context.listeners.push(listener);
  return () => {
    const i = context.listeners.indexOf(listener);
    if (i >= 0) context.listeners.splice(i, 1);
  };
}

/** True while the hook is on (for tests and benches: promises pay for it only then). */
export function contextHookOn(): boolean {
  return context.hookOn;
}
