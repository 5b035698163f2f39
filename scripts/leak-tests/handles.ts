/**
 * Open-handle detection: which timers, sockets and other handles did the replays create and leave
 * open? An async_hooks hook records each resource created while a run is current (its type, a weak
 * reference, and a stack captured without formatting), and forgets it on `destroy`. After the
 * replays, what is left (and still reachable) is an open handle. Stacks are formatted only then,
 * through tsx's source maps, and cut to the project's own frames (no tsx, Node or runner frames).
 * @packageDocumentation
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import * as path from 'node:path';
import type { StackFrameInfo } from '../../harness';

/**
 * Resource types that are not handles: promises and ticks settle on their own (and come by the
 * thousand), TIMERWRAP and PerformanceObserver belong to Node.
 */
const IGNORED_TYPES: ReadonlySet<string> = new Set(['PROMISE', 'TickObject', 'Microtask', 'TIMERWRAP', 'PerformanceObserver']);

/** Frames kept per captured stack: enough to get past Node's timer internals to the caller. */
const STACK_LIMIT = 40;

interface Tracked<O> {
  type: string;
  owner: O;
  resource: WeakRef<object>;
  stack: { stack?: string };
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

/**
 * Records the handles created while an owner (the run being replayed) is set. Not re-entrant: one
 * tracker per process run.
 */
export class HandleTracker<O> {
  private readonly open = new Map<number, Tracked<O>>();
  private owner: O | null = null;
  private readonly hook: AsyncHook;

  constructor(private readonly filter: ProjectFrameFilter) {
    this.hook = createHook({
      init: (asyncId, type, _triggerAsyncId, resource) => {
        if (this.owner === null || IGNORED_TYPES.has(type)) return;
        // Capture now, format later: V8 keeps the frames and builds the string on first read.
        const holder: { stack?: string } = {};
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = STACK_LIMIT;
        Error.captureStackTrace(holder);
        Error.stackTraceLimit = limit;
        this.open.set(asyncId, { type, owner: this.owner, resource: new WeakRef(resource as object), stack: holder });
      },
      destroy: (asyncId) => {
        this.open.delete(asyncId);
      },
    });
  }

  /** Starts recording (call before the first replay). */
  start(): void {
    this.hook.enable();
  }

  /** Stops recording; what was recorded stays available. */
  stop(): void {
    this.hook.disable();
  }

  /** Sets the run that owns the handles created from now on (null: none, nothing is recorded). */
  setOwner(owner: O | null): void {
    this.owner = owner;
  }

  /** Recorded handles that are still open and were made by project code. */
  openHandles(): TrackedHandle<O>[] {
    const result: TrackedHandle<O>[] = [];
    for (const t of this.open.values()) {
      const resource = t.resource.deref() as { hasRef?: () => boolean } | undefined;
      if (resource === undefined) continue;
      const createdAt = projectFrames(t.stack.stack ?? '', this.filter);
      if (createdAt.length === 0) continue;
      result.push({ type: t.type, owner: t.owner, refed: resource.hasRef?.() ?? true, createdAt });
    }
    return result;
  }

  /**
   * Waits, at most `maxMs`, for the open handles to close (a stream's `close` on the next tick, a
   * timer about to fire). Polls on `setImmediate`, which the tracker does not record (no owner).
   */
  async settle(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.openHandles().length > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => setImmediate(resolve));
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
