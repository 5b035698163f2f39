/**
 * The leak detector: settings, the ledger of scopes, and the hook the allocator calls for every
 * buffer it makes (Netty's `AbstractByteBufAllocator.toLeakAwareBuffer`). Buffer classes know
 * nothing of this module beyond the tracker they are handed.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';
import { DEFAULT_SETTINGS, parseLeakLevel, parseRecordsMode, settingsFromEnv, type LeakDetectionSettings, type LeakLevel } from './config';
import { watchForGc } from './gcLeaks';
import { ids } from './ids';
import { LeakScope, type LedgerCheckpoint, type Misuse } from './LeakScope';
import { LeakTracker, recordRandom, RecordsKept, SeededRandom, type BufferKind, type RandomSource } from './LeakTracker';
import { activate, deactivate, runStored, storedScope, storeScope } from './scopeContext';
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
 * the level and the ledger switch as the hot path reads them, the sampling, and the root scope
 * (the current scope travels in `scopeContext.ts`, shared the same way).
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
    rootScope: new LeakScope('<root>', 0),
  };
  apply(created, settingsFromEnv());
  return created;
});
const { rootScope } = state;

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
  if (ledgerOn) currentScope().add(tracker);
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
  currentScope().misuses.push({ kind, message, bufferId: tracker?.id, at: captureStack() });
}

/**
 * The open scope the running code counts in: the scope stored in its async context if that is
 * open, else that scope's nearest open parent; undefined when none is (the root scope counts).
 */
function contextScope(): LeakScope | undefined {
  for (let s = storedScope(); s !== undefined; s = s.parent ?? undefined) if (s.holds > 0) return s;
  return undefined;
}

/** The scope a buffer made now is counted in. */
function currentScope(): LeakScope {
  return contextScope() ?? rootScope;
}

/** What `ledger.scoped()` gives back: the scope, and what the function returned (awaited). */
export interface Scoped<T> {
  readonly scope: LeakScope;
  readonly result: T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * @internal Holds `scope` open (its work counts in it; see `ledger`) until the returned function is
 * called (once). `active`: also keeps the async context on meanwhile, as a run in the scope does
 * (a sanitizer holds its scopes open only: its session keeps the context on for the whole file).
 */
export function holdScope(scope: LeakScope, active = true): () => void {
  scope.holds++;
  if (active) activate();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    scope.holds--;
    if (active) deactivate();
  };
}

/**
 * Runs `fn` in `scope`, held open until `fn` returns, or until the promise it returns settles.
 * A native promise is returned as a new promise that settles as it does, after the scope closed (its
 * rejection stays unhandled if the caller drops it); another thenable is returned as it is.
 */
function runHeld<T>(scope: LeakScope, fn: () => T): T {
  const close = holdScope(scope);
  let result: T;
  try {
    result = runStored(scope, fn);
  } catch (error) {
    close();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        close();
        return value;
      },
      (error: unknown) => {
        close();
        throw error;
      },
    ) as T;
  }
  if (isThenable(result)) result.then(close, close);
  else close();
  return result;
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

/** Scopes `ledger.enter()` opened for good (each is held once). */
const enteredForGood = new WeakSet<LeakScope>();

/**
 * Opens a scope named `name`, runs `fn` in it and returns `{ scope, result }`: `fn`'s result,
 * and the scope, whose `live()` are then the leaks. When `fn` returns a promise (or any
 * thenable), this returns a promise that settles once it has; otherwise it returns at once.
 * A throw or rejection of `fn` passes through. Switches the exact ledger on if it was off.
 * The scope is open until then: work `fn` started and did not await that runs later (a timer, a
 * callback) counts in the scope `scoped` was called in while that one is open, else in the root.
 *
 * @example const { scope, result } = await ledger.scoped('decode', () => decodeFrame(bytes));
 */
function scoped<T>(name: string, fn: (scope: LeakScope) => PromiseLike<T>): Promise<Scoped<T>>;
function scoped<T>(name: string, fn: (scope: LeakScope) => T): Scoped<T>;
function scoped<T>(name: string, fn: (scope: LeakScope) => T | PromiseLike<T>): Scoped<T> | Promise<Scoped<T>> {
  if (!state.ledgerOn) LeakDetection.setExactLedger(true);
  const scope = new LeakScope(name, ids.last, contextScope() ?? null);
  const result = runHeld(scope, () => fn(scope));
  if (isThenable(result)) return Promise.resolve(result).then((value) => ({ scope, result: value }));
  return { scope, result };
}

/**
 * The exact ledger: scopes that count live buffers without GC. A buffer belongs to the scope
 * current when it was made; the async context carries the scope across `await`s and callbacks
 * (`scopeContext.ts`), for as long as the scope is open. A scope is open while code runs in it
 * (`scoped`, `runIn`: until the function returns or its promise settles), while it is entered
 * (`enterScope` until disposed, `enter` for good), and while a sanitizer watches it (a test's
 * scope until the end of its file). Work that runs after its scope closed counts in the nearest
 * open scope it was opened in, else in the root scope. While no scope is open, the async context
 * is switched off and promises pay nothing for it.
 */
export const ledger = {
  /** The scope buffers made now would be counted in (the root scope outside any other). */
  current(): LeakScope {
    return currentScope();
  },
  /** The scope that counts buffers made outside every other scope. */
  get root(): LeakScope {
    return rootScope;
  },
  /** A new scope, not yet entered: its parent is the current scope (none at the root). */
  openScope(name: string): LeakScope {
    return new LeakScope(name, ids.last, contextScope() ?? null);
  },
  /**
   * Runs `fn` with `scope` current; async work started by `fn` stays in `scope` while it is open.
   * `runIn` holds it open until `fn` returns, or until the promise it returns settles (a native
   * promise comes back as a new promise that settles the same way; another thenable as it is).
   * Work `fn` left running that runs after that counts in `scope` only if something else holds it
   * open (another run in it, a sanitizer); otherwise in the nearest open scope it was opened in,
   * else in the root scope.
   */
  runIn<T>(scope: LeakScope, fn: () => T): T {
    return runHeld(scope, fn);
  },
  scoped,
  /**
   * Opens a scope named `name` and makes it current for the rest of this synchronous execution
   * and the async work it starts, for `using`:
   * `using scope = ledger.enterScope('decode')` counts what the block makes, and at its end leaves
   * the scope (the previous one is current again), closes it and checks it (`LeakError` if anything
   * is live or was misused). Suited to a synchronous block or the top level of a test body; to scope one
   * call, `ledger.scoped()` is exact. A scope never disposed stays open, and the async context on.
   * Switches the exact ledger on if it was off.
   */
  enterScope(name: string): LeakScope {
    if (!state.ledgerOn) LeakDetection.setExactLedger(true);
    const previous = storedScope();
    let close: () => void = () => undefined;
    const scope = new EnteredScope(name, ids.last, contextScope() ?? null, () => {
      if (storedScope() === scope) storeScope(previous);
      close();
    });
    close = holdScope(scope);
    storeScope(scope);
    return scope;
  },
  /**
   * Makes `scope` current for the rest of this synchronous execution and its async continuations.
   * Where its use ends is not known, so `scope` stays open for good from then on, and the async
   * context on (promises pay for it) for the rest of the process: prefer `enterScope`, `runIn`
   * or `scoped`, whose end is known.
   */
  enter(scope: LeakScope): void {
    if (!enteredForGood.has(scope)) {
      enteredForGood.add(scope);
      holdScope(scope);
    }
    storeScope(scope);
  },
  /** A checkpoint of the current scope: what was live and seen so far. */
  checkpoint(scope: LeakScope = currentScope()): LedgerCheckpoint {
    return { scope, lastId: ids.last, misuseCount: scope.misuses.length };
  },
  /** Trackers of the checkpoint's scope created after it and still live. */
  leaksSince(checkpoint: LedgerCheckpoint): LeakTracker[] {
    return checkpoint.scope.live().filter((t) => t.id > checkpoint.lastId);
  },
};
