/**
 * @internal Cheap stack capture, formatted only when a report needs it.
 *
 * `capture()` calls `Error.captureStackTrace` on a bare object: V8 records the frames but builds the
 * string (and runs tsx's or jest's source-map support) only when `.stack` is first read. Formatting
 * cuts the harness's own frames, Node internals and `node_modules`, and makes paths relative to the
 * working directory.
 */
import * as path from 'node:path';

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

/** The folder holding the harness's sources: frames from here are internal. */
const HARNESS_DIR = path.resolve(__dirname, '..') + path.sep;

let depth = 24;

/** Sets how many frames a capture keeps (harness frames included). */
export function setStackDepth(frames: number): void {
  depth = frames;
}

/** Captures the current stack without formatting it. */
export function captureStack(): CapturedStack {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  Error.captureStackTrace(holder, captureStack);
  Error.stackTraceLimit = previous;
  return holder;
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
    file.startsWith(HARNESS_DIR) ||
    file.startsWith('node:') ||
    file.includes(`${path.sep}node_modules${path.sep}`) ||
    !file.includes(path.sep)
  );
}

/**
 * Formats a captured stack into user frames: harness, Node and dependency frames are cut. If every
 * frame is internal (a buffer made by the harness for itself) the first raw frame is kept, so a
 * report never shows an empty stack.
 */
export function userFrames(captured: CapturedStack | null | undefined): StackFrameInfo[] {
  const text = captured?.stack;
  if (text === undefined) return [];
  const all: StackFrameInfo[] = [];
  for (const line of text.split('\n')) {
    const frame = parseFrame(line);
    if (frame !== undefined) all.push(frame);
  }
  const user = all.filter((f) => !isInternal(f.file));
  const chosen = user.length > 0 ? user : all.slice(0, 1);
  return chosen.map((f) => ({ ...f, file: relativeFile(f.file) }));
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

/** Lines `\tat fn (file:line:col)`, Netty's record body shape. */
export function formatFrames(frames: readonly StackFrameInfo[], indent = '\t'): string {
  return frames.map((f) => `${indent}at ${formatFrame(f)}`).join('\n');
}
