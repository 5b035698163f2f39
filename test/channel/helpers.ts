/**
 * Shared test helpers for the channel tests: leak-scoped test bodies (paranoid level, exact
 * ledger), live-timer counting, and deterministic test data.
 */
import { ByteBuffer, LeakDetection, ledger, onGcLeak, Unpooled, type ByteBuf, type LeakDetectionSettings, type LeakScope } from '../../harness';

let previous: LeakDetectionSettings | undefined;

/** Switches to `paranoid` with the exact ledger for the current test file (restored afterwards). */
export function useParanoidLedger(): void {
  beforeAll(() => {
    previous = LeakDetection.configure({ level: 'paranoid', exactLedger: true });
  });
  afterAll(() => {
    if (previous !== undefined) LeakDetection.configure(previous);
  });
}

/**
 * Counts the timers made with the global `setTimeout` while installed, and which of them are still
 * live (neither fired nor cleared). The channel calls the global `setTimeout`, so its timers are
 * seen; timers of Jest itself are not (they use their own references).
 */
export class TimerTracker {
  private readonly liveHandles = new Set<NodeJS.Timeout>();
  private created = 0;
  private readonly realSetTimeout = globalThis.setTimeout;
  private readonly realClearTimeout = globalThis.clearTimeout;

  /** Starts counting; `uninstall()` restores the globals. */
  install(): this {
    const live = this.liveHandles;
    const realSet = this.realSetTimeout;
    const realClear = this.realClearTimeout;
    const tracked = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
      const handle: NodeJS.Timeout = realSet(() => {
        live.delete(handle);
        fn(...args);
      }, ms);
      live.add(handle);
      this.created++;
      return handle;
    };
    globalThis.setTimeout = tracked as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((handle: NodeJS.Timeout | undefined) => {
      if (handle !== undefined) live.delete(handle);
      realClear(handle);
    }) as typeof clearTimeout;
    return this;
  }

  uninstall(): void {
    globalThis.setTimeout = this.realSetTimeout;
    globalThis.clearTimeout = this.realClearTimeout;
  }

  /** Timers made since `install()` that neither fired nor were cleared. */
  get live(): number {
    return this.liveHandles.size;
  }

  /** Timers made since `install()`. */
  get createdCount(): number {
    return this.created;
  }
}

/** The leak count the ledger reports for a finished scope (a composite counts once). */
export function leakCount(scope: LeakScope): number {
  return scope.report().leakCount;
}

/**
 * Runs `fn` in a fresh ledger scope and returns the scope. The caller asserts what it expects
 * (see {@link expectClean}).
 */
export function inScope(name: string, fn: (scope: LeakScope) => unknown): Promise<LeakScope> {
  return (async () => (await ledger.scoped(name, async (scope) => fn(scope))).scope)();
}

/** Asserts the scope ended with zero leaks and no misuse, showing the report if not. */
export function expectClean(scope: LeakScope): void {
  const report = scope.report();
  expect({ leaks: report.leakCount, misuses: report.misuses.map((m) => m.message.split('\n')[0]) }).toEqual({ leaks: 0, misuses: [] });
}

/**
 * Runs a test body in a ledger scope and asserts the scope ends with zero leaks, no misuse and
 * no live timer left by the body.
 */
export async function cleanly(name: string, fn: (scope: LeakScope) => unknown): Promise<LeakScope> {
  const timers = new TimerTracker().install();
  let scope: LeakScope;
  try {
    scope = (await ledger.scoped(name, fn)).scope;
  } finally {
    timers.uninstall();
  }
  expectClean(scope);
  expect(timers.live).toBe(0);
  return scope;
}

/** `n` deterministic bytes (a simple LCG from `seed`), so data comparisons are meaningful. */
export function testBytes(n: number, seed = n): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A direct `ByteBuffer` holding `bytes` (position 0, limit = length). */
export function directByteBuffer(bytes: Uint8Array): ByteBuffer {
  return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
}

/** A heap `ByteBuffer` holding a copy of `bytes`. */
export function heapByteBuffer(bytes: Uint8Array): ByteBuffer {
  return ByteBuffer.wrap(bytes.slice());
}

/** A new heap `ByteBuf` holding `bytes` (refCnt 1, the caller owns it). */
export function heapByteBuf(bytes: Uint8Array): ByteBuf {
  return Unpooled.buffer(bytes.length).writeBytes(bytes);
}

/** A new direct `ByteBuf` holding `bytes`. */
export function directByteBuf(bytes: Uint8Array): ByteBuf {
  return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
}

/** A composite of two heap components holding `bytes` split at `at` (either part may be empty). */
export function compositeByteBuf(bytes: Uint8Array, at = bytes.length >> 1): ByteBuf {
  return Unpooled.compositeBuffer().addComponents(true, heapByteBuf(bytes.subarray(0, at)), heapByteBuf(bytes.subarray(at)));
}

/** Waits one macrotask turn (lets timers of 0 ms and I/O callbacks run). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Records the calls of a write callback: each `(bytesWritten, error)` pair, in order. */
export class CallbackRecorder {
  readonly calls: Array<{ bytesWritten: number; error: Error | null }> = [];
  readonly callback = (bytesWritten: number, error: Error | null): void => {
    this.calls.push({ bytesWritten, error });
  };
}

/** Reads a byte stream to its end and returns everything it yielded, concatenated. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

/** The concatenation of `parts`. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
}

/**
 * For test files that leak on purpose (the legacy and regression variants): takes the GC path's
 * reports of those buffers, which would otherwise be printed to stderr whenever V8 collects them.
 * The tests assert leaks through the exact ledger instead.
 */
export function silenceGcLeakReports(): void {
  beforeAll(() => {
    onGcLeak(() => undefined);
  });
}
