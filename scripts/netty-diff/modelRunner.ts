/**
 * The TypeScript runner: runs resolved sequences on the harness's buffer model and writes the
 * same normalised trace as the Java runner. Leak detection is switched off (level `disabled`,
 * exact ledger off) while sequences run, then restored: no tracker is made, so tracking can
 * neither change what a buffer does nor carry state from one sequence to the next (and a test's
 * leak sanitizer does not count the sequences' deliberate leaks).
 * @packageDocumentation
 */
import {
  ByteBuf,
  ByteBuffer,
  CompositeByteBuf,
  EMPTY_BUFFER,
  EmptyByteBuf,
  LeakDetection,
  Unpooled,
  UnpooledByteBufAllocator,
} from '../../harness';
import type { ParamKind } from './ops';
import type { ResolvedOp, ResolvedSequence } from './resolve';
import type { Arg, HandleRef } from './sequence';
import { firstLine, hex, type Step, type StepResult, type Trace } from './trace';

type Handle = ByteBuf | ByteBuffer | Uint8Array | null;

/** An error both runners raise with the same class and text (a handle that holds nothing, a wrong cast). */
class RunnerError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

function handleAt(handles: readonly Handle[], k: number): ByteBuf | ByteBuffer | Uint8Array {
  const h = handles[k];
  if (h === null || h === undefined) throw new RunnerError('NoHandle', `#${k} holds nothing`);
  return h;
}

function operand(kind: ParamKind, arg: Arg, handles: readonly Handle[]): unknown {
  if (kind === 'long') return BigInt(arg as string);
  // Java receives `(byte) n`: the runner passes the model the same signed byte.
  if (kind === 'javaByte') return ((arg as number) << 24) >> 24;
  if (kind === 'hex') return Uint8Array.from(Buffer.from(arg as string, 'hex'));
  if (Array.isArray(arg)) return (arg as readonly HandleRef[]).map((r) => handleAt(handles, r.h));
  if (typeof arg === 'object') return handleAt(handles, (arg as HandleRef).h);
  return arg;
}

type Callable = (...args: unknown[]) => unknown;

/** The model's function for a static op, bound; undefined when the model has none. */
function staticTarget(name: string): Callable | undefined {
  const dot = name.lastIndexOf('.');
  const owner = name.slice(0, dot);
  const method = name.slice(dot + 1);
  const target: Record<string, unknown> | undefined =
    owner === 'Unpooled' ? Unpooled : owner === 'ByteBuffer' ? (ByteBuffer as unknown as Record<string, unknown>)
    : owner === 'UnpooledByteBufAllocator.DEFAULT' ? (UnpooledByteBufAllocator.DEFAULT as unknown as Record<string, unknown>) : undefined;
  const fn = target?.[method];
  return typeof fn === 'function' ? (fn as Callable).bind(target) : undefined;
}

function invoke(step: ResolvedOp, handles: readonly Handle[]): unknown {
  const { op, spec } = step;
  const args = spec.params.flatMap((p, i) => {
    const value = operand(p, op.args[i]!, handles);
    // Java varargs arrive in the model as rest parameters.
    return p === 'bufs' || p === 'nios' || p === 'arrays' || p === 'bufList' ? (value as unknown[]) : [value];
  });
  if (spec.name === 'new byte[]') return args[0];
  if (spec.name === 'Unpooled.EMPTY_BUFFER') return EMPTY_BUFFER;
  if (op.on === undefined) {
    const fn = staticTarget(spec.name);
    if (fn === undefined) throw new RunnerError('MissingInModel', `the model has no ${spec.label}`);
    return fn(...args);
  }
  const receiver = handleAt(handles, op.on);
  if (spec.on === 'composite' && !(receiver instanceof CompositeByteBuf)) {
    throw new RunnerError('ClassCastException', `#${op.on} is not a CompositeByteBuf`);
  }
  const fn = (receiver as unknown as Record<string, unknown>)[spec.name];
  if (typeof fn !== 'function') throw new RunnerError('MissingInModel', `the model has no ${spec.label}`);
  return (fn as Callable).apply(receiver, args);
}

function nioState(b: ByteBuffer): string {
  return `${b.position()} ${b.limit()} ${b.capacity()} ${hex(b.toUint8Array())}`;
}

function classify(value: unknown, step: ResolvedOp, handles: readonly Handle[]): StepResult {
  if (step.spec.result === 'value') {
    if (Array.isArray(value)) return { v: value.map((b) => (b instanceof ByteBuffer ? nioState(b) : String(b))) };
    if (typeof value === 'boolean') return { v: value };
    return { v: String(value) };
  }
  if (value === null || value === undefined) return { o: 'null' };
  if (value instanceof EmptyByteBuf) return { o: 'EmptyByteBuf' };
  const k = handles.indexOf(value as Handle);
  if (k >= 0) return { o: `#${k}` };
  return { o: step.creates !== null ? 'new' : 'other' };
}

/** The text of an op that is not run; the same in NettyDiffRunner.java. */
export const UNDEFINED_SOURCE_RANGE =
  'not run: the source range is outside the byte[], which Netty does not check on a direct or composite buffer (Unsafe copies from outside the array)';

/**
 * Why `step` is not run, or undefined: the ops the Java runner skips, by the same rule (see
 * `undefinedInNetty` there). Netty copies from outside the array with Unsafe: undefined.
 */
function undefinedInNetty(step: ResolvedOp, handles: readonly Handle[]): string | undefined {
  const { op, spec } = step;
  const at = spec.name === 'setBytes' && spec.javaSig === 'int,byte[],int,int' ? 1 : spec.name === 'writeBytes' && spec.javaSig === 'byte[],int,int' ? 0 : -1;
  if (at < 0 || op.on === undefined) return undefined;
  const receiver = handles[op.on];
  const ref = op.args[at] as HandleRef;
  const array = handles[ref.h];
  if (!(receiver instanceof ByteBuf) || !(array instanceof Uint8Array)) return undefined;
  const srcIndex = op.args[at + 1] as number;
  const length = op.args[at + 2] as number;
  if (!(length >= 0 && (srcIndex < 0 || srcIndex + length > array.length))) return undefined;
  // A composite (or a view of one) may hold a direct buffer; isDirect() of a view of a composite
  // added to itself overflows the stack: such a receiver counts as direct.
  return receiver instanceof CompositeByteBuf || isDirectOrUnknown(receiver) ? UNDEFINED_SOURCE_RANGE : undefined;
}

function isDirectOrUnknown(buf: ByteBuf): boolean {
  try {
    return buf.isDirect();
  } catch {
    return true;
  }
}

/** V8's stack overflow: reported as Java's `StackOverflowError` (no message), as the JVM raises it. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === 'Maximum call stack size exceeded';
}

function errorResult(error: unknown): StepResult {
  if (isStackOverflow(error)) return { e: 'StackOverflowError', m: '' };
  if (error instanceof Error) return { e: error.name, m: firstLine(error.message) };
  return { e: 'NonError', m: firstLine(String(error)) };
}

function errorClass(error: unknown): string {
  if (isStackOverflow(error)) return 'StackOverflowError';
  return error instanceof Error ? error.name : 'NonError';
}

/** A handle's state string (see `trace.ts`); null for a handle that holds nothing. */
function stateOf(h: Handle): string | null {
  if (h === null) return null;
  if (h instanceof Uint8Array) return hex(h);
  if (h instanceof ByteBuffer) return nioState(h);
  const rc = h.refCnt();
  if (rc === 0) return 'released';
  const ri = h.readerIndex();
  const wi = h.writerIndex();
  let content: string;
  try {
    const bytes = new Uint8Array(wi - ri);
    h.getBytes(ri, bytes);
    content = hex(bytes);
  } catch (error) {
    content = `!${errorClass(error)}`;
  }
  return `${rc} ${ri} ${wi} ${h.capacity()} ${h.maxCapacity()} ${content}`;
}

function runOne(seq: ResolvedSequence): Trace {
  const handles: Handle[] = [];
  const last: (string | null)[] = [];
  const steps: Step[] = [];
  for (const step of seq.ops) {
    let r: StepResult;
    let made: Handle = null;
    const undefinedWhy = undefinedInNetty(step, handles);
    if (undefinedWhy !== undefined) {
      r = { u: undefinedWhy };
    } else {
      try {
        const value = invoke(step, handles);
        r = classify(value, step, handles);
        if (value instanceof ByteBuf || value instanceof ByteBuffer || value instanceof Uint8Array) made = value;
      } catch (error) {
        r = errorResult(error);
      }
    }
    if (step.creates !== null) handles[step.creates] = made;
    const d: Record<string, string> = {};
    for (let k = 0; k < handles.length; k++) {
      const s = stateOf(handles[k]!);
      if (s !== null && s !== last[k]) {
        d[k] = s;
        last[k] = s;
      }
    }
    steps.push({ r, d });
  }
  return { seed: seq.seed, steps };
}

/** Runs each sequence on the model, with leak detection off (see the module comment). */
export function runOnModel(seqs: readonly ResolvedSequence[]): Trace[] {
  const previous = LeakDetection.configure({ level: 'disabled', exactLedger: false });
  try {
    return seqs.map((s) => {
      try {
        return runOne(s);
      } catch (error) {
        return { seed: s.seed, steps: [], fatal: `model runner: ${String(error)}` };
      }
    });
  } finally {
    LeakDetection.configure(previous);
  }
}
