/**
 * @internal Timers (`setTimeout`, `setInterval`, `setImmediate`, and `node:timers` or
 * `timers/promises` equivalents) created while a given ledger scope is current, and whether each is
 * still pending.
 *
 * An `async_hooks` init hook sees every `Timeout` and `Immediate` Node creates, in the async
 * context of the code that created it, so a timer started in a callback after an `await` is
 * blamed on the test that started the work. Only an init hook is installed: a destroy hook would
 * make Node track every promise for garbage collection. Whether a timer is still pending is read
 * from Node's `_destroyed` flag, which Node sets when a timer fires (one-shot) or is cleared.
 * Jest's fake timers create no Node timers and are not seen here (`jest.getTimerCount()` covers them).
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import { ledger } from '../../tracking/LeakDetection';
import type { LeakScope } from '../../tracking/LeakScope';
import { captureStack, type CapturedStack } from '../../tracking/stack';

/** How a timer was made. */
export type TimerKind = 'setTimeout' | 'setInterval' | 'setImmediate';

/** A timer created while a watched scope was current. */
export interface TimerRecord {
  readonly kind: TimerKind;
  /** The delay (ms) of a timeout or interval; undefined for an immediate. */
  readonly delayMs: number | undefined;
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

/** Every this many records, fired and cleared timers are dropped from a scope's list. */
const PRUNE_AT = 1024;

interface NodeTimeout {
  _idleTimeout?: number;
  _repeat?: number | null;
}

/** Records the timers created in watched scopes. */
export class OpenTimers {
  private readonly watched = new Map<LeakScope, TimerRecord[]>();
  private hook: AsyncHook | null = null;

  /** Starts recording the timers created while `scope` is current. */
  watch(scope: LeakScope): void {
    this.watched.set(scope, []);
  }

  /** Stops recording for `scope` and returns what it created (pending or not). */
  unwatch(scope: LeakScope): TimerRecord[] {
    const list = this.watched.get(scope) ?? [];
    this.watched.delete(scope);
    return list;
  }

  /** The timers `scope` created so far that are still pending. */
  pending(scope: LeakScope): TimerRecord[] {
    return (this.watched.get(scope) ?? []).filter(isPending);
  }

  /** Installs the hook (process-wide). */
  enable(): void {
    if (this.hook !== null) return;
    const watched = this.watched;
    this.hook = createHook({
      init(_asyncId: number, type: string, _trigger: number, resource: object): void {
        // Called for every async resource (promises included): leave fast for the rest.
        if (type !== 'Timeout' && type !== 'Immediate') return;
        const list = watched.get(ledger.current());
        if (list === undefined) return;
        const t = resource as NodeTimeout;
        const kind: TimerKind = type === 'Immediate' ? 'setImmediate' : typeof t._repeat === 'number' ? 'setInterval' : 'setTimeout';
        list.push({ kind, delayMs: type === 'Immediate' ? undefined : t._idleTimeout, createdAt: captureStack(), handle: new WeakRef(resource as NodeTimerHandle) });
        // A test that makes many short-lived timers keeps only the pending ones.
        if (list.length >= PRUNE_AT && list.length % PRUNE_AT === 0) {
          const pending = list.filter(isPending);
          list.length = 0;
          list.push(...pending);
        }
      },
    });
    this.hook.enable();
  }

  /** Removes the hook; the records stay readable. */
  disable(): void {
    this.hook?.disable();
    this.hook = null;
  }
}
