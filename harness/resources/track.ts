/**
 * `track()`: anything with a release (a connection pool, a user's handle, any `Symbol.dispose` or
 * `Symbol.asyncDispose` object) joins the exact ledger as an entry of kind `resource`, counted in
 * the scope current when it is tracked, like a buffer. It shows in that scope's report and
 * `check()`, in the leak matchers, in the leak-tests runner's replays, and in the sanitizer's
 * resources check under every runner, until it is released.
 * @packageDocumentation
 */
import { IllegalArgumentException, IllegalStateException } from '../errors';
import { ids } from '../tracking/ids';
import { LeakDetection, ledger } from '../tracking/LeakDetection';
import { LeakTracker, RecordsKept } from '../tracking/LeakTracker';
import { captureStack } from '../tracking/stack';

/** A method that releases a tracked resource: `close()`, `release()`, or `dispose` (see `TrackOptions.release`). */
export type ReleaseMethod = 'close' | 'release' | 'dispose';

/** How `track()` records a resource. */
export interface TrackOptions<T> {
  /** What it is, as reports name it (`'db connection'`); `leakSanitizer.optOut(reason, 'resources:<kind>')` names it too. */
  kind: string;
  /** Bytes it holds, added to the scope's live bytes (default 0). */
  bytes?: number;
  /**
   * How it is released. A method name: the resource leaves the ledger once that method of it has
   * returned (`'dispose'`: its `[Symbol.asyncDispose]()`, `[Symbol.dispose]()` or `dispose()`,
   * whichever it has). A function: a check, called when the ledger is read, true once the
   * resource is released (for resources released by other code: `(s) => s.destroyed`).
   * Default: `'dispose'` for an object with `Symbol.dispose` or `Symbol.asyncDispose`.
   */
  release?: ReleaseMethod | ((resource: T) => boolean);
}

const DISPOSERS: readonly (string | symbol)[] = [Symbol.asyncDispose, Symbol.dispose, 'dispose'];

/** The entries of the resources tracked and not yet released, so a resource is not tracked twice. */
const trackedEntries = new WeakMap<object, LeakTracker>();

function methodLabel(key: string | symbol): string {
  if (key === Symbol.asyncDispose) return '[Symbol.asyncDispose]()';
  if (key === Symbol.dispose) return '[Symbol.dispose]()';
  return `${String(key)}()`;
}

function hasMethod(resource: object, key: string | symbol): boolean {
  return typeof (resource as Record<string | symbol, unknown>)[key] === 'function';
}

/** The methods whose call releases `resource` under `release`; throws when it has none. */
function releaseMethods(resource: object, release: ReleaseMethod): (string | symbol)[] {
  const keys = release === 'dispose' ? DISPOSERS.filter((k) => hasMethod(resource, k)) : hasMethod(resource, release) ? [release] : [];
  if (keys.length === 0) {
    const wanted = release === 'dispose' ? '[Symbol.asyncDispose](), [Symbol.dispose]() or dispose()' : `${release}()`;
    throw new IllegalArgumentException(`Expected the resource to have a ${wanted} method to release it, got none; pass release: a function that tells when it is released`);
  }
  return keys;
}

/** Replaces `resource[key]` with a wrapper that closes `entry` once the original has returned. */
function wrapRelease(resource: object, key: string | symbol, entry: LeakTracker): void {
  const target = resource as Record<string | symbol, unknown>;
  const original = target[key] as (...args: unknown[]) => unknown;
  const released = function (this: unknown, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    if (!entry.closed) {
      entry.close();
      trackedEntries.delete(resource);
    }
    return result;
  };
  try {
    Object.defineProperty(target, key, { value: released, writable: true, configurable: true, enumerable: false });
  } catch {
    throw new IllegalArgumentException(`Expected the resource's ${methodLabel(key)} to be replaceable (the object is frozen or the property fixed); pass release: a function that tells when it is released`);
  }
}

/**
 * Tracks `resource` in the exact ledger until it is released (see `TrackOptions.release`), in the
 * scope current now: under the leak sanitizer, the running test, which fails if the resource is
 * still unreleased when it ends, with the site of this call and the release to call. Returns
 * `resource`, so it can wrap the expression that makes it. With the exact ledger off (no
 * sanitizer, no `ledger.scoped()`), nothing is counted and `resource` is returned as it is.
 * Throws `IllegalArgumentException` for a bad kind or byte count, or a resource without the
 * release method, and `IllegalStateException` for a resource already tracked and not released.
 *
 * @example const pool = track(createPool(), { kind: 'db pool', release: 'close' });
 * @example using lock = track(acquireLock(), { kind: 'lock' }); // a Symbol.dispose object
 */
export function track<T extends object>(resource: T, options: TrackOptions<T>): T {
  if (typeof resource !== 'object' && typeof resource !== 'function') {
    throw new IllegalArgumentException(`Expected resource to be an object, got ${resource === null ? 'null' : typeof resource}`);
  }
  const { kind, bytes = 0 } = options;
  if (typeof kind !== 'string' || kind.trim() === '') throw new IllegalArgumentException(`Expected kind to be a non-empty string, got ${JSON.stringify(kind)}`);
  if (!Number.isInteger(bytes) || bytes < 0) throw new IllegalArgumentException(`Expected bytes to be an integer >= 0, got ${String(bytes)}`);
  const release = options.release ?? (hasMethod(resource, Symbol.asyncDispose) || hasMethod(resource, Symbol.dispose) ? 'dispose' : undefined);
  if (release === undefined) {
    throw new IllegalArgumentException("Expected options.release ('close', 'release', 'dispose' or a function) for a resource without Symbol.dispose or Symbol.asyncDispose");
  }
  if (typeof release !== 'function' && !(['close', 'release', 'dispose'] as unknown[]).includes(release)) {
    throw new IllegalArgumentException(`Expected release to be 'close', 'release', 'dispose' or a function, got ${JSON.stringify(release)}`);
  }
  const previous = trackedEntries.get(resource);
  if (previous !== undefined && !previous.closed) {
    throw new IllegalStateException(`Expected a resource not tracked yet, got one tracked as '${previous.resource?.kind ?? kind}' and not released`);
  }
  if (!LeakDetection.exactLedger) return resource;
  const methods = typeof release === 'function' ? [] : releaseMethods(resource, release);
  const entry = new LeakTracker(++ids.last, 'resource', bytes, captureStack(track), RecordsKept.NONE);
  entry.resource = {
    kind,
    release: typeof release === 'function' ? 'what its release check waits for' : methods.map(methodLabel).join(' or '),
    isReleased: typeof release === 'function' ? () => release(resource) === true : undefined,
  };
  for (const key of methods) wrapRelease(resource, key, entry);
  trackedEntries.set(resource, entry);
  ledger.current().add(entry);
  return resource;
}
