/**
 * The leak detector: settings, the ledger of scopes, and the hook the allocator calls for every
 * buffer it makes (Netty's `AbstractByteBufAllocator.toLeakAwareBuffer`). Buffer classes know
 * nothing of this module beyond the tracker they are handed.
 * @packageDocumentation
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { IllegalArgumentException } from '../errors';
import { DEFAULT_SETTINGS, parseLeakLevel, parseRecordsMode, settingsFromEnv, type LeakDetectionSettings, type LeakLevel } from './config';
import { watchForGc } from './gcLeaks';
import { ids } from './ids';
import { LeakScope, type LedgerCheckpoint, type Misuse } from './LeakScope';
import { LeakTracker, recordRandom, RecordsKept, SeededRandom, type BufferKind, type RandomSource } from './LeakTracker';
import { sharedPart } from './sharedState';
import { captureStack, formatQuotedFrames, setStackDepth, stackCapture, userFrames, type CapturedStack, type StackCut } from './stack';

// Levels as small integers (see `DetectionState.level`).
const DISABLED = 0;
const SIMPLE = 1;
const ADVANCED = 2;
const PARANOID = 3;
const { NONE, ALL, ENDS } = RecordsKept;
const LEVEL_NUMBER: Record<LeakLevel, number> = { disabled: DISABLED, simple: SIMPLE, advanced: ADVANCED, paranoid: PARANOID };

/**
 * The detector's state, shared by every copy of the harness (see `sharedState.ts`): the settings,
 * the level and the ledger switch as the hot path reads them, the sampling, and the scope context.
 * The first copy to load reads the environment; later copies join, whatever their environment.
 */
interface DetectionState {
  settings: LeakDetectionSettings;
  /** `settings.level` as a small integer: the allocation hook compares numbers, not strings. */
  level: number;
  ledgerOn: boolean;
  /** `settings.records === 'ends'`: trackers with stacks keep only the creation and final release. */
  endsOnly: boolean;
  sampler: RandomSource;
  /**
   * Allocations left until the next sampled one (`simple`, `advanced`). Gaps are drawn uniformly
   * from 1 to 2 * samplingInterval - 1 (mean: samplingInterval, Netty's 1 in N on average) by the
   * seeded generator, so a rerun samples the same buffers; an allocation costs one decrement.
   */
  untilSample: number;
  /** The current scope; the same instance in every copy, so a scope entered by one holds for all. */
  readonly als: AsyncLocalStorage<LeakScope>;
  /** Counts buffers made outside every other scope. */
  readonly rootScope: LeakScope;
}

function nextSampleGap(s: DetectionState): number {
  const interval = s.settings.samplingInterval;
  return interval === 1 ? 1 : 1 + s.sampler.nextInt(2 * interval - 1);
}

function apply(s: DetectionState, next: LeakDetectionSettings): void {
  s.settings = next;
  s.level = LEVEL_NUMBER[next.level];
  s.ledgerOn = next.exactLedger;
  s.endsOnly = next.records === 'ends';
  s.sampler = new SeededRandom(next.seed);
  s.untilSample = nextSampleGap(s);
  recordRandom.rng = new SeededRandom(next.seed ^ 0x5bd1e995);
  recordRandom.targetRecords = next.targetRecords;
  setStackDepth(next.stackDepth);
}

const state: DetectionState = sharedPart('detection', () => {
  const created: DetectionState = {
    settings: { ...DEFAULT_SETTINGS },
    level: SIMPLE,
    ledgerOn: false,
    endsOnly: false,
    sampler: new SeededRandom(1),
    untilSample: 1,
    als: new AsyncLocalStorage<LeakScope>(),
    rootScope: new LeakScope('<root>', 0),
  };
  apply(created, settingsFromEnv());
  return created;
});
const { als, rootScope } = state;

/**
 * Settings of the leak detector. The environment is read once at start-up (see `config.ts` for
 * the variables); `configure` changes settings at run time and reseeds sampling.
 */
export const LeakDetection = {
  /** The current settings (a copy). */
  settings(): LeakDetectionSettings {
    return { ...state.settings };
  },
  /** The current level. */
  get level(): LeakLevel {
    return state.settings.level;
  },
  /** Changes some settings; validates each and reseeds sampling. Returns the previous settings. */
  configure(change: Partial<LeakDetectionSettings>): LeakDetectionSettings {
    const previous = { ...state.settings };
    const next = { ...state.settings, ...change };
    if (change.level !== undefined) next.level = parseLeakLevel(change.level);
    if (change.records !== undefined) next.records = parseRecordsMode(change.records);
    for (const key of ['targetRecords', 'samplingInterval', 'stackDepth'] as const) {
      if (!Number.isInteger(next[key]) || next[key] < 1) {
        throw new IllegalArgumentException(`Expected ${key} to be an integer >= 1, got ${String(next[key])}`);
      }
    }
    apply(state, next);
    return previous;
  },
  /** Sets the level (Netty's `ResourceLeakDetector.setLevel`). */
  setLevel(value: LeakLevel): void {
    this.configure({ level: value });
  },
  /** True when every buffer is counted in its scope's ledger. */
  get exactLedger(): boolean {
    return state.ledgerOn;
  },
  /** Switches the exact ledger on or off (buffers made while it was off are never counted). */
  setExactLedger(on: boolean): void {
    this.configure({ exactLedger: on });
  },
};

/**
 * @internal The allocator's hook: a tracker for a new buffer, or null when nothing tracks it.
 * Hot path: with the ledger off at `disabled` it returns after two comparisons. `cut`: the
 * allocating function the caller called; the creation stack starts below it (see `StackCut`).
 */
export function newTracker(kind: BufferKind, capacity: number, buffer: object, cut: StackCut = newTracker): LeakTracker | null {
  const s = state;
  const level = s.level;
  const ledgerOn = s.ledgerOn;
  if (level === DISABLED && !ledgerOn) return null;
  let sampled: boolean;
  if (level === PARANOID) sampled = true;
  else if (level === DISABLED) sampled = false;
  else if (--s.untilSample > 0) sampled = false;
  else {
    sampled = true;
    s.untilSample = nextSampleGap(s);
  }
  if (!sampled && !ledgerOn) return null;
  // Netty's SIMPLE records nothing, not even the creation: its report says to use ADVANCED.
  const withStacks = sampled && level >= ADVANCED;
  let createdAt: CapturedStack | null = null;
  if (withStacks) {
    // `captureStack`, inlined (see `LeakTracker.record`): one frame fewer to walk.
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = stackCapture.depth;
    Error.captureStackTrace(holder, cut);
    Error.stackTraceLimit = limit;
    createdAt = holder;
  }
  const tracker = new LeakTracker(++ids.last, kind, capacity, createdAt, withStacks ? (s.endsOnly ? ENDS : ALL) : NONE);
  if (ledgerOn) (als.getStore() ?? rootScope).add(tracker);
  if (sampled) watchForGc(buffer, tracker);
  return tracker;
}

/** Detail for an `IllegalReferenceCountException` about a tracked buffer: which one, where made and freed. */
export function trackerDetail(tracker: LeakTracker | null): {
  bufferId?: number; describe?: string; releasedAt?: string; createdAt?: string;
} {
  if (tracker === null) return {};
  return {
    bufferId: tracker.id,
    describe: `Buffer #${tracker.id} (${tracker.kind}, ${tracker.capacity} bytes)`,
    releasedAt: tracker.releasedAt !== null ? formatQuotedFrames(userFrames(tracker.releasedAt)) : undefined,
    createdAt: tracker.createdAt !== null ? formatQuotedFrames(userFrames(tracker.createdAt)) : undefined,
  };
}

/**
 * @internal Notes a misuse in the current scope when the ledger is on: the error is thrown too,
 * but code under test may swallow it, and the scope's report must still show it.
 */
export function noteMisuse(kind: Misuse['kind'], tracker: LeakTracker | null, message: string): void {
  if (!state.ledgerOn) return;
  (als.getStore() ?? rootScope).misuses.push({ kind, message, bufferId: tracker?.id, at: captureStack() });
}

/** What `ledger.scoped()` gives back: the scope, and what the function returned (awaited). */
export interface Scoped<T> {
  readonly scope: LeakScope;
  readonly result: T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** A scope from `ledger.enterScope()`: disposing it leaves it, then checks it. */
class EnteredScope extends LeakScope {
  private readonly leave: () => void;

  constructor(name: string, startId: number, parent: LeakScope | null, leave: () => void) {
    super(name, startId, parent);
    this.leave = leave;
  }

  override [Symbol.dispose](): void {
    this.leave();
    super[Symbol.dispose]();
  }
}

/**
 * Opens a scope named `name`, runs `fn` in it and returns `{ scope, result }`: `fn`'s result,
 * and the scope, whose `live()` are then the leaks. When `fn` returns a promise (or any
 * thenable), this returns a promise that settles once it has; otherwise it returns at once.
 * A throw or rejection of `fn` passes through. Switches the exact ledger on if it was off.
 *
 * @example const { scope, result } = await ledger.scoped('decode', () => decodeFrame(bytes));
 */
function scoped<T>(name: string, fn: (scope: LeakScope) => PromiseLike<T>): Promise<Scoped<T>>;
function scoped<T>(name: string, fn: (scope: LeakScope) => T): Scoped<T>;
function scoped<T>(name: string, fn: (scope: LeakScope) => T | PromiseLike<T>): Scoped<T> | Promise<Scoped<T>> {
  if (!state.ledgerOn) LeakDetection.setExactLedger(true);
  const scope = new LeakScope(name, ids.last, als.getStore() ?? null);
  const result = als.run(scope, () => fn(scope));
  if (isThenable(result)) return Promise.resolve(result).then((value) => ({ scope, result: value }));
  return { scope, result };
}

/**
 * The exact ledger: scopes that count live buffers without GC. A buffer belongs to the scope
 * current when it was made; `AsyncLocalStorage` carries the scope across `await`s and callbacks.
 */
export const ledger = {
  /** The scope buffers made now would be counted in (the root scope outside any other). */
  current(): LeakScope {
    return als.getStore() ?? rootScope;
  },
  /** The scope that counts buffers made outside every other scope. */
  get root(): LeakScope {
    return rootScope;
  },
  /** A new scope, not yet entered. */
  openScope(name: string): LeakScope {
    return new LeakScope(name, ids.last, als.getStore() ?? null);
  },
  /** Runs `fn` with `scope` current; async work started by `fn` stays in `scope`. */
  runIn<T>(scope: LeakScope, fn: () => T): T {
    return als.run(scope, fn);
  },
  scoped,
  /**
   * Opens a scope named `name` and makes it current for the rest of this synchronous execution
   * and the async work it starts (`AsyncLocalStorage.enterWith`), for `using`:
   * `using scope = ledger.enterScope('decode')` counts what the block makes, and at its end leaves
   * the scope (the previous one is current again) and checks it (`LeakError` if anything is live
   * or was misused). Suited to a synchronous block or the top level of a test body; to scope one
   * call, `ledger.scoped()` is exact. Switches the exact ledger on if it was off.
   */
  enterScope(name: string): LeakScope {
    if (!state.ledgerOn) LeakDetection.setExactLedger(true);
    const previous = als.getStore();
    const scope = new EnteredScope(name, ids.last, previous ?? null, () => {
      if (als.getStore() === scope) als.enterWith(previous as LeakScope);
    });
    als.enterWith(scope);
    return scope;
  },
  /** Makes `scope` current for the rest of this synchronous execution and its async continuations. */
  enter(scope: LeakScope): void {
    als.enterWith(scope);
  },
  /** A checkpoint of the current scope: what was live and seen so far. */
  checkpoint(scope: LeakScope = als.getStore() ?? rootScope): LedgerCheckpoint {
    return { scope, lastId: ids.last, misuseCount: scope.misuses.length };
  },
  /** Trackers of the checkpoint's scope created after it and still live. */
  leaksSince(checkpoint: LedgerCheckpoint): LeakTracker[] {
    return checkpoint.scope.live().filter((t) => t.id > checkpoint.lastId);
  },
};
