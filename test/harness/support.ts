/**
 * Helpers shared by the harness tests: settings applied and restored around a test, a private
 * ledger scope for buffers a test leaks or misuses on purpose (so they are counted there, not in
 * the scope a test runner's leak check may give the test), and source locations of markers.
 */
import {
  IllegalReferenceCountException,
  LeakDetection,
  ledger,
  type LeakDetectionSettings,
  type LeakScope,
} from '../../harness';

/** Applies `change` before each test of the enclosing `describe` and restores the settings after it. */
export function useSettings(change: Partial<LeakDetectionSettings>): void {
  let previous: LeakDetectionSettings | undefined;
  beforeEach(() => {
    previous = LeakDetection.configure(change);
  });
  afterEach(() => {
    if (previous !== undefined) LeakDetection.configure(previous);
  });
}

/** Runs synchronous `fn` with `change` applied, restoring the previous settings afterwards (also on a throw). */
export function withSettings<T>(change: Partial<LeakDetectionSettings>, fn: () => T): T {
  const previous = LeakDetection.configure(change);
  try {
    return fn();
  } finally {
    LeakDetection.configure(previous);
  }
}

/** `withSettings` for async work: the settings stay applied until `fn`'s promise settles. */
export async function withSettingsAsync<T>(change: Partial<LeakDetectionSettings>, fn: () => Promise<T>): Promise<T> {
  const previous = LeakDetection.configure(change);
  try {
    return await fn();
  } finally {
    LeakDetection.configure(previous);
  }
}

/**
 * Runs `fn` in a new ledger scope named `name` and returns that scope once `fn`'s promise settles:
 * buffers (and timers) made by `fn` and its continuations are counted there.
 */
export async function inScopeAsync(name: string, fn: (scope: LeakScope) => Promise<void>): Promise<LeakScope> {
  const scope = ledger.openScope(name);
  await ledger.runIn(scope, () => fn(scope));
  return scope;
}

/**
 * Runs `fn` synchronously in a new ledger scope named `name` and returns that scope: buffers made
 * in `fn` are counted there, and misuses seen in `fn` are noted there.
 */
export function inScope(name: string, fn: (scope: LeakScope) => void): LeakScope {
  const scope = ledger.openScope(name);
  ledger.runIn(scope, () => fn(scope));
  return scope;
}

/** The ledger entry of a buffer (views report to their root), or null when untracked. */
export { trackerOf } from '../../harness/buffers/AbstractReferenceCountedByteBuf';

/** A source location: `file` relative to the working directory, as reports print it. */
export interface Site {
  fn: string;
  file: string;
  line: number;
}

/**
 * Where `marker` was made: the first frame of its (source-mapped) stack. Create the marker on the
 * line under test, e.g. `const b = Unpooled.buffer(1); const at = siteOf(new Error());`.
 */
export function siteOf(marker: Error): Site {
  const frame = (marker.stack ?? '').split('\n').find((l) => /^\s+at /.test(l));
  const m = frame === undefined ? null : /at (?:(.*?) \()?(?:.*\/)?(test\/harness\/[^:]+):(\d+):\d+\)?$/.exec(frame);
  if (m === null) throw new Error(`no test/harness frame in marker stack:\n${marker.stack}`);
  return { fn: m[1] ?? '<anonymous>', file: m[2]!, line: Number(m[3]) };
}

/** Calls `fn`, expects an `IllegalReferenceCountException`, and returns it. */
export function refCntError(fn: () => unknown): IllegalReferenceCountException {
  try {
    fn();
  } catch (error) {
    if (error instanceof IllegalReferenceCountException) return error;
    throw new Error(`expected an IllegalReferenceCountException, got ${String(error)}`);
  }
  throw new Error('expected an IllegalReferenceCountException, nothing was thrown');
}

/** The first line of a message (Netty's text, for a reference-count error). */
export function firstLine(message: string): string {
  return message.split('\n')[0]!;
}

/** `n` bytes 0, 1, 2, ... (mod 256). */
export function bytes(n: number, start = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}
