/**
 * @internal Buffers exempt from the leak check (module-level singletons made lazily inside a
 * test), with the reason given. A buffer held by an exempt composite is exempt with it.
 */
import { trackerOf } from '../buffers/AbstractReferenceCountedByteBuf';
import type { ByteBuf } from '../buffers/ByteBuf';
import type { LeakTracker } from '../tracking/LeakTracker';

const reasons = new Map<LeakTracker, string>();

export { trackerOf };

/** Marks the buffer behind `buf` exempt; returns false when it is not tracked (nothing to exempt). */
export function exemptBuffer(buf: ByteBuf, reason: string): boolean {
  const t = trackerOf(buf);
  if (t === null) return false;
  reasons.set(t, reason);
  return true;
}

/** True when `t`, or a live composite holding it, was exempted. */
export function isExempt(t: LeakTracker): boolean {
  for (let x: LeakTracker | null = t; x !== null; x = x.heldBy) {
    if (reasons.has(x)) return true;
  }
  return false;
}

/** `trackers` without the exempt ones. */
export function withoutExempt(trackers: LeakTracker[]): LeakTracker[] {
  return reasons.size === 0 ? trackers : trackers.filter((t) => !isExempt(t));
}

/** Forgets released exempt buffers (called between tests, so the map stays small). */
export function forgetClosedExemptions(): void {
  for (const t of reasons.keys()) if (t.closed) reasons.delete(t);
}
