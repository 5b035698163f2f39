/**
 * Open-handle detection: which timers, sockets and other handles did the replays create and leave
 * open? An async_hooks hook records each resource created inside a run (its type, a weak
 * reference, and a stack captured without formatting), and forgets it on `destroy`. "Inside a run"
 * is async context, not time: the run is an AsyncLocalStorage value, so a timer re-armed from its
 * own callback, or a server handle Node creates once a host name is looked up, belongs to the run
 * that started it, whenever it is made; and what other code makes while a run is current is not
 * that run's. After the replays, what is left (still reachable, and not already run) is an open
 * handle. The `destroy` hook is enabled only once a run made a resource that does not say itself
 * when it is done (anything but timers and immediates): with a `destroy` hook, Node tracks the
 * destruction of every promise of the process (a tenth of a run of the built-in scenarios);
 * timers and immediates are forgotten by their own `_destroyed` mark instead. Stacks are
 * formatted only then, through tsx's source maps, and cut to the project's own frames (no tsx,
 * Node or runner frames); a handle Node made from its own code (no project frame) takes the
 * creation site of the resource whose callback made it.
 * @packageDocumentation
 */
import { AsyncLocalStorage, createHook, type AsyncHook } from 'node:async_hooks';
import * as path from 'node:path';
import type { StackFrameInfo } from '../../harness';
import { isEngineTurn } from '../../scenarios/engine/turns';

/**
 * Resource types that are not handles: promises and ticks settle on their own (and come by the
 * thousand), TIMERWRAP and PerformanceObserver belong to Node, and DNSCHANNEL is a resolver's
 * c-ares channel (Node makes its default one on the first DNS use and keeps it for the process;
 * it keeps nothing alive: the requests it serves are tracked on their own).
 */
const IGNORED_TYPES: ReadonlySet<string> = new Set(['PROMISE', 'TickObject', 'Microtask', 'TIMERWRAP', 'PerformanceObserver', 'DNSCHANNEL']);

/**
 * Resource types whose object says when it is done: Node sets `_destroyed` on a Timeout or
 * Immediate once it ran or was cleared, while the `destroy` hook comes later (queued), so a timer
 * that ran can still be in the map when the check runs.
 */
const SELF_REPORTING_TYPES: ReadonlySet<string> = new Set(['Timeout', 'Immediate']);

/** Event-loop turns the wait for handles to close always gives them (a few: an immediate that queues one that sets a timer). */
const MIN_SETTLE_TURNS = 5;

/** How many ancestors' stacks a resource keeps, for a creation site when its own stack has no project frame. */
const ANCESTOR_STACKS = 3;

/** Frames kept per captured stack: enough to get past Node's timer internals to the caller. */
const STACK_LIMIT = 40;

interface Tracked<O> {
  type: string;
  owner: O;
  resource: WeakRef<object>;
  stack: { stack?: string };
  /** The stacks of the resources whose callbacks made this one, nearest first (not the resources: a chain must not hold every link). */
  ancestors: Array<{ stack?: string }>;
  /** The creation site, once computed. */
  frames?: StackFrameInfo[];
}

/** A handle still open, with the run that created it. */
export interface TrackedHandle<O> {
  type: string;
  owner: O;
  /** False when the handle was `unref()`ed (it does not keep the process alive). */
  refed: boolean;
  /** Project frames of its creation stack, innermost first, paths relative to the working directory. */
  createdAt: StackFrameInfo[];
}

/** Which frames count as the project's own. */
export interface ProjectFrameFilter {
  /** The project root: frames under it are kept... */
  root: string;
  /** ...except those under these directories (absolute), e.g. node_modules and the runner itself. */
  excluded: string[];
  /** Further directories whose frames are kept (user scenario directories outside the root). */
  extra: string[];
}

const FRAME_WITH_FN = /^\s*at (?:async )?(.*?) \((.*):(\d+):(\d+)\)$/;
const FRAME_NO_FN = /^\s*at (?:async )?(.*):(\d+):(\d+)$/;

/** Parses one V8 stack line into a frame; undefined for lines without a location. */
export function parseStackLine(line: string): StackFrameInfo | undefined {
  let m = FRAME_WITH_FN.exec(line);
  if (m !== null) return { fn: m[1]!, file: m[2]!, line: Number(m[3]), column: Number(m[4]) };
  m = FRAME_NO_FN.exec(line);
  if (m !== null) return { fn: '<anonymous>', file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  return undefined;
}

function inside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The project's frames of a stack string, paths made relative to the working directory. */
export function projectFrames(stack: string, filter: ProjectFrameFilter): StackFrameInfo[] {
  const frames: StackFrameInfo[] = [];
  for (const line of stack.split('\n')) {
    const f = parseStackLine(line);
    if (f === undefined) continue;
    const file = f.file.startsWith('file://') ? decodeURIComponent(f.file.slice('file://'.length)) : f.file;
    if (!path.isAbsolute(file)) continue;
    const own = inside(file, filter.root) && !filter.excluded.some((d) => inside(file, d));
    if (!own && !filter.extra.some((d) => inside(file, d))) continue;
    frames.push({ ...f, file: path.relative(process.cwd(), file) || file });
  }
  return frames;
}

/** True when a Timeout or Immediate already ran or was cleared (see {@link SELF_REPORTING_TYPES}). */
function alreadyDone(type: string, resource: object): boolean {
  return SELF_REPORTING_TYPES.has(type) && (resource as { _destroyed?: unknown })._destroyed === true;
}

/**
 * True when Node has emitted a Timeout's or Immediate's `destroy`: it does so where it marks the
 * timer `_destroyed` (after the callback, or on clear), and where it drops an immediate's callback
 * (an immediate is marked `_destroyed` before its callback runs, and is still its children's parent then).
 */
function destroyEmitted(type: string, resource: object): boolean {
  return alreadyDone(type, resource) && (type !== 'Immediate' || (resource as { _onImmediate?: unknown })._onImmediate === null);
}

/** How many records the map may hold before the tracker forgets done timers without a `destroy` hook (then twice what is left). */
const MIN_FORGET_AT = 64;

/**
 * Records the handles created inside runs ({@link HandleTracker.track}). Not re-entrant: one
 * tracker per process run.
 */
export class HandleTracker<O> {
  private readonly open = new Map<number, Tracked<O>>();
  private readonly run = new AsyncLocalStorage<O>();
  private readonly hook: AsyncHook;
  /** Forgets destroyed resources; enabled from the first recorded one that is not a timer or immediate. */
  private readonly destroyHook: AsyncHook;
  private destroyHookNeeded = false;
  /** The latest async id of each timer: one refreshed after it ran gets a new id (and its old one was destroyed). */
  private readonly timerIds = new WeakMap<object, number>();
  private forgetAt = MIN_FORGET_AT;

  constructor(private readonly filter: ProjectFrameFilter) {
    this.destroyHook = createHook({
      destroy: (asyncId) => {
        this.open.delete(asyncId);
      },
    });
    this.hook = createHook({
      init: (asyncId, type, triggerAsyncId, resource) => {
        if (IGNORED_TYPES.has(type)) return;
        // The replay engine's own waits for a turn: it lets each run, or clears it, within the step.
        if (type === 'Immediate' && isEngineTurn(resource as object)) {
          this.forgetDone();
          return;
        }
        const owner = this.run.getStore();
        if (owner === undefined) return;
        if (SELF_REPORTING_TYPES.has(type)) {
          const previous = this.timerIds.get(resource as object);
          if (previous !== undefined) this.open.delete(previous);
          this.timerIds.set(resource as object, asyncId);
        } else if (!this.destroyHookNeeded) {
          // Node checks for destroy hooks when it emits a destroy: this resource's comes to it,
          // those of timers done before do not.
          this.forgetDone();
          this.destroyHookNeeded = true;
          this.destroyHook.enable();
        }
        // Capture now, format later: V8 keeps the frames and builds the string on first read.
        const holder: { stack?: string } = {};
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = STACK_LIMIT;
        Error.captureStackTrace(holder);
        Error.stackTraceLimit = limit;
        const parent = this.open.get(triggerAsyncId);
        const ancestors = parent === undefined ? [] : [parent.stack, ...parent.ancestors].slice(0, ANCESTOR_STACKS);
        this.open.set(asyncId, { type, owner, resource: new WeakRef(resource as object), stack: holder, ancestors });
        if (this.open.size >= this.forgetAt) {
          this.forgetDone();
          this.forgetAt = Math.max(MIN_FORGET_AT, 2 * this.open.size);
        }
      },
    });
  }

  /**
   * Without a `destroy` hook: drops the records of timers and immediates whose `destroy` Node
   * emitted, as the hook would have (a record keeps its stack's frames, and so their objects, alive).
   */
  private forgetDone(): void {
    if (this.destroyHookNeeded) return;
    for (const [asyncId, t] of this.open) {
      const resource = t.resource.deref();
      if (resource === undefined || destroyEmitted(t.type, resource)) this.open.delete(asyncId);
    }
  }

  /** Starts recording (call before the first replay). */
  start(): void {
    this.hook.enable();
    if (this.destroyHookNeeded) this.destroyHook.enable();
  }

  /** Stops recording; what was recorded stays available. */
  stop(): void {
    this.hook.disable();
    this.destroyHook.disable();
  }

  /**
   * Runs `fn` as `owner`'s run: the resources it creates, and those created from their callbacks
   * (and so on), are `owner`'s, whenever they are created.
   */
  track<T>(owner: O, fn: () => T): T {
    this.forgetDone();
    return this.run.run(owner, fn);
  }

  /** The project frames of a resource's creation stack, or of the nearest ancestor's that has some. */
  private creationSite(t: Tracked<O>): StackFrameInfo[] {
    if (t.frames === undefined) {
      let frames: StackFrameInfo[] = [];
      for (const holder of [t.stack, ...t.ancestors]) {
        frames = projectFrames(holder.stack ?? '', this.filter);
        if (frames.length > 0) break;
      }
      t.frames = frames;
    }
    return t.frames;
  }

  /** Recorded handles that are still open and were made by project code. */
  openHandles(): TrackedHandle<O>[] {
    const result: TrackedHandle<O>[] = [];
    for (const t of this.open.values()) {
      const resource = t.resource.deref() as { hasRef?: () => boolean } | undefined;
      if (resource === undefined || alreadyDone(t.type, resource)) continue;
      const createdAt = this.creationSite(t);
      if (createdAt.length === 0) continue;
      result.push({ type: t.type, owner: t.owner, refed: resource.hasRef?.() ?? true, createdAt });
    }
    return result;
  }

  /**
   * Waits, at most `maxMs`, for the open handles to close (a stream's `close` on the next tick, a
   * timer about to fire), and at least {@link MIN_SETTLE_TURNS} turns of the event loop while any
   * is open: on a loaded machine `maxMs` can pass before the loop got round to what was due. Polls
   * on a 1 ms timer made outside any run (not recorded): it fires after every timer due before it,
   * and after the immediates of the turn it was made in.
   */
  async settle(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    for (let turn = 0; this.openHandles().length > 0 && (turn < MIN_SETTLE_TURNS || Date.now() < deadline); turn++) {
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  }
}

/**
 * How many handles of each type Node itself reports as keeping the loop alive
 * (`process.getActiveResourcesInfo()`: ref'd timers and immediates, sockets, requests).
 */
export function activeResourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}
