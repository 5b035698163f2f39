/**
 * @internal Cheap stack capture, formatted only when a report needs it.
 *
 * `capture()` calls `Error.captureStackTrace` on a bare object: V8 records the frames but builds the
 * string (and runs tsx's or jest's source-map support) only when `.stack` is first read. Formatting
 * cuts the harness's own frames, Node internals and `node_modules`, and makes paths relative to the
 * working directory.
 */
import * as path from 'node:path';
import { inspect } from 'node:util';
import { sharedPart } from './sharedState';

/** A captured, not yet formatted, stack. */
export interface CapturedStack {
  readonly stack?: string;
}

/** One formatted frame. `file` is relative to the working directory when inside it. */
export interface StackFrameInfo {
  /** Function name as V8 gives it (`Class.method`, `<anonymous>`). */
  fn: string;
  file: string;
  line: number;
  column: number;
}

/**
 * The folders whose frames are the harness's own (internal): the one this code runs from and,
 * when that is the compiled package (`dist/harness`), the sources its source maps point frames
 * to (`harness`, beside `dist`). Without the second, a source-mapped compiled run (the leak gate,
 * a linked checkout outside node_modules) showed harness frames as the user's.
 */
export const HARNESS_DIRS: readonly string[] = harnessDirs(path.resolve(__dirname, '..'));

/** @internal The harness folders for code running from `dir` (see `HARNESS_DIRS`). */
export function harnessDirs(dir: string): string[] {
  const dirs = [dir + path.sep];
  const parent = path.dirname(dir);
  if (path.basename(parent) === 'dist') dirs.push(path.join(path.dirname(parent), path.basename(dir)) + path.sep);
  return dirs;
}

function inHarness(file: string): boolean {
  return HARNESS_DIRS.some((dir) => file.startsWith(dir));
}

/**
 * @internal How many frames a capture keeps. A plain object, so the two hot captures that call
 * `Error.captureStackTrace` themselves (a record, a creation) read it without a call; shared by
 * every copy of the harness.
 */
export const stackCapture: { depth: number } = sharedPart('stackCapture', () => ({ depth: 24 }));

/** Sets how many frames a capture keeps. */
export function setStackDepth(frames: number): void {
  stackCapture.depth = frames;
}

/**
 * A function that is on the stack when a capture is made: the capture leaves out that function's
 * innermost frame and every frame above it (V8's `constructorOpt`). The harness passes the public
 * method the caller called, so its own frames are neither captured (each costs time) nor kept
 * (a frame keeps its receiver, often the buffer, reachable until formatted). It must be the
 * function lexically containing the call chain, or the capture comes out empty.
 */
export type StackCut = (...args: never[]) => unknown;

/**
 * Captures the current stack without formatting it, leaving out `cut` and the frames above it
 * (by default, only this function's own frame).
 *
 * Until it is formatted, V8 keeps each frame's receiver and function alive (for the `CallSite`
 * API), so an unformatted capture can keep the buffer it describes reachable: the GC path calls
 * `materializeStack` before forcing a collection, and trackers stop being watched once released.
 */
export function captureStack(cut: StackCut = captureStack): CapturedStack {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = stackCapture.depth;
  Error.captureStackTrace(holder, cut);
  Error.stackTraceLimit = previous;
  return holder;
}

/** V8's name for a frame, as its own `CallSite#toString` builds it; undefined for an anonymous top-level frame. */
function v8FrameName(site: NodeJS.CallSite): string | undefined {
  const fn = site.getFunctionName();
  const prefix = site.isAsync() ? 'async ' : '';
  if (site.isConstructor()) return `${prefix}new ${fn || '<anonymous>'}`;
  if (site.isToplevel()) return fn ? `${prefix}${fn}` : undefined;
  const type = site.getTypeName();
  const method = site.getMethodName();
  if (!fn) return `${prefix}${type ?? '<anonymous>'}.${method ?? '<anonymous>'}`;
  let name = type && !fn.startsWith(type) ? `${type}.${fn}` : fn;
  if (method && fn !== method && !fn.endsWith(`.${method}`)) name += ` [as ${method}]`;
  return `${prefix}${name}`;
}

const LOCATION = /^(\s*at )(?:.*? \((.*)\)|(.*))$/;

/**
 * Wraps the installed `Error.prepareStackTrace` (jest's or the source-map support's) so frames
 * keep its source-mapped locations but V8's function names. Jest names each frame after the
 * identifier called at its position (`Object.wrappedBuffer` instead of the function that called
 * `Unpooled.wrappedBuffer`), which would make every creation site name the harness's factory.
 */
function withV8Names(installed: PrepareStackTrace): PrepareStackTrace {
  return (error, sites) => {
    const text: unknown = installed(error, sites);
    if (typeof text !== 'string') return text;
    const lines = text.split('\n');
    const first = lines.length - sites.length;
    if (first < 0) return text;
    for (let i = 0; i < sites.length; i++) {
      const site = sites[i]!;
      const m = LOCATION.exec(lines[first + i]!);
      if (m === null) return text; // not one line per frame: keep the installed text as it is
      if (site.isPromiseAll() || site.isNative()) continue;
      const location = m[2] ?? m[3]!;
      const name = v8FrameName(site);
      lines[first + i] = name === undefined ? `${m[1]}${location}` : `${m[1]}${name} (${location})`;
    }
    return lines.join('\n');
  };
}

type PrepareStackTrace = NonNullable<ErrorConstructor['prepareStackTrace']>;

/**
 * The main realm's `Error`. Under jest the harness runs in a `vm` context whose own
 * `Error.prepareStackTrace` is unset; jest installs its source-mapping formatter on the main
 * realm's `Error`, which Node then uses. A core module's function belongs to the main realm, so its
 * `Function` constructor reaches that `Error`. (Outside jest this is the same `Error`.)
 */
const MainRealmError = (inspect.constructor as FunctionConstructor)('return Error')() as ErrorConstructor;

/** The formatter Node will use for a stack captured here: this realm's, else the main realm's. */
function installedFormatter(): PrepareStackTrace | undefined {
  return Error.prepareStackTrace ?? MainRealmError.prepareStackTrace;
}

/**
 * The text of a captured stack, formatting it on the first read (V8 caches the result and drops the
 * frames' receivers and functions). Locations are source-mapped by whatever formatter is installed
 * (jest's, tsx's/Node's); function names are V8's.
 */
export function stackText(captured: CapturedStack | null | undefined): string | undefined {
  if (captured === null || captured === undefined) return undefined;
  const installed = installedFormatter();
  if (installed === undefined) return captured.stack; // Node's own formatter: V8's names already
  const own = Error.prepareStackTrace;
  Error.prepareStackTrace = withV8Names(installed);
  try {
    return captured.stack;
  } finally {
    Error.prepareStackTrace = own;
  }
}

/** Formats a captured stack now, so it stops keeping the frames' objects (the buffer, closures) alive. */
export function materializeStack(captured: CapturedStack | null | undefined): void {
  stackText(captured);
}

const FRAME_WITH_FN = /^\s*at (?:async )?(.*?) \((.*):(\d+):(\d+)\)$/;
const FRAME_NO_FN = /^\s*at (?:async )?(.*):(\d+):(\d+)$/;

/** Parses one V8 stack line; `undefined` for lines that are not frames with a location. */
export function parseFrame(line: string): StackFrameInfo | undefined {
  let m = FRAME_WITH_FN.exec(line);
  if (m !== null) return { fn: m[1]!, file: normalizeFile(m[2]!), line: Number(m[3]), column: Number(m[4]) };
  m = FRAME_NO_FN.exec(line);
  if (m !== null) return { fn: '<anonymous>', file: normalizeFile(m[1]!), line: Number(m[2]), column: Number(m[3]) };
  return undefined;
}

function normalizeFile(file: string): string {
  const f = file.startsWith('file://') ? decodeURIComponent(file.slice('file://'.length)) : file;
  return f;
}

/** True for frames a user never needs: the harness itself, Node internals, dependencies. */
function isInternal(file: string): boolean {
  return (
    inHarness(file) ||
    file.startsWith('node:') ||
    file.includes(`${path.sep}node_modules${path.sep}`) ||
    !file.includes(path.sep)
  );
}

/** Every frame of a captured stack, parsed (empty when nothing was captured). */
function parsedFrames(captured: CapturedStack | null | undefined): StackFrameInfo[] {
  const text = stackText(captured);
  if (text === undefined) return [];
  const all: StackFrameInfo[] = [];
  for (const line of text.split('\n')) {
    const frame = parseFrame(line);
    if (frame !== undefined) all.push(frame);
  }
  return all;
}

/** The user frames of a captured stack (see `userFrames`), empty when every frame is internal. */
export function projectFrames(captured: CapturedStack | null | undefined): StackFrameInfo[] {
  return parsedFrames(captured)
    .filter((f) => !isInternal(f.file))
    .map((f) => ({ ...f, file: relativeFile(f.file) }));
}

/**
 * Formats a captured stack into user frames: harness, Node and dependency frames are cut. If every
 * frame is internal (a buffer made by the harness for itself) the first raw frame is kept, so a
 * report never shows an empty stack.
 */
export function userFrames(captured: CapturedStack | null | undefined): StackFrameInfo[] {
  const all = parsedFrames(captured);
  const user = all.filter((f) => !isInternal(f.file));
  const chosen = user.length > 0 ? user : all.slice(0, 1);
  return chosen.map((f) => ({ ...f, file: relativeFile(f.file) }));
}

/**
 * `frames` (the frame lines of an error's `stack`) without the harness's own frames at the top, so
 * the first frame, which test runners show a code frame for, is the caller's line.
 */
export function dropLeadingHarnessFrames(frames: string): string {
  const lines = frames.split('\n');
  let i = lines[0] === '' ? 1 : 0;
  while (i < lines.length && inHarness(parseFrame(lines[i]!)?.file ?? '')) i++;
  return (lines[0] === '' ? '\n' : '') + lines.slice(i).join('\n');
}

/** A path relative to the working directory when it lies inside it, else unchanged. */
export function relativeFile(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** `fn (file:line:col)`, V8's own frame shape without the leading `at`. */
export function formatFrame(f: StackFrameInfo): string {
  return `${f.fn} (${f.file}:${f.line}:${f.column})`;
}

/**
 * `<indent>↳ fn (file:line:col)`: how reports and error messages quote a frame under the line it
 * belongs to. Not `at …`: jest takes every message line that starts with optional spaces and `at `
 * for the start of the stack, and moves it (and every line after it) away from its record.
 */
export function formatQuotedFrame(f: StackFrameInfo, indent = '    '): string {
  return `${indent}↳ ${formatFrame(f)}`;
}

/** Quoted frames (`formatQuotedFrame`), one a line. */
export function formatQuotedFrames(frames: readonly StackFrameInfo[], indent = '    '): string {
  return frames.map((f) => formatQuotedFrame(f, indent)).join('\n');
}

/** Lines `\tat fn (file:line:col)`, Netty's record body shape (its LEAK log text; not for error messages). */
export function formatFrames(frames: readonly StackFrameInfo[], indent = '\t'): string {
  return frames.map((f) => `${indent}at ${formatFrame(f)}`).join('\n');
}
