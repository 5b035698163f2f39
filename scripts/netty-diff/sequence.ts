/**
 * The operation language's data: a sequence is `{ "seed": n, "ops": [...] }`, each op
 * `{ "op": "<Netty's name>", "on": <receiver handle>, "args": [...] }`. Handles (buffers,
 * `ByteBuffer`s, byte arrays) are numbered in creation order: every op whose table entry creates a
 * handle takes the next number, even when it throws (then the handle holds nothing), so numbers
 * never depend on what a run did. An argument is a number (Java `int`), a string (a Java `long` in
 * decimal, or the hex of a byte-array literal), a boolean, `{ "h": k }` (handle k) or a list of
 * handles (Java varargs).
 * @packageDocumentation
 */

/** A reference to handle `h`. */
export interface HandleRef {
  readonly h: number;
}

/** One operand. */
export type Arg = number | string | boolean | HandleRef | readonly HandleRef[];

/** One operation. */
export interface Op {
  /** Netty's name: `readBytes`, or `Unpooled.wrappedBuffer` for a static factory. */
  readonly op: string;
  /** The receiver's handle, for an instance method. */
  readonly on?: number;
  readonly args: readonly Arg[];
}

/** A sequence of operations, with the seed that generated it. */
export interface Sequence {
  readonly seed: number;
  readonly ops: readonly Op[];
}

/** True for `{ "h": k }`. */
export function isHandleRef(arg: Arg): arg is HandleRef {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg);
}

/** The handles an op uses: its receiver and every handle among its arguments. */
export function handlesUsed(op: Op): number[] {
  const out: number[] = op.on === undefined ? [] : [op.on];
  for (const a of op.args) {
    if (isHandleRef(a)) out.push(a.h);
    else if (Array.isArray(a)) for (const r of a as readonly HandleRef[]) out.push(r.h);
  }
  return out;
}

/** `op` with every handle number `k` replaced by `map(k)`. */
export function renumberOp(op: Op, map: (k: number) => number): Op {
  const args = op.args.map((a): Arg => {
    if (isHandleRef(a)) return { h: map(a.h) };
    if (Array.isArray(a)) return (a as readonly HandleRef[]).map((r) => ({ h: map(r.h) }));
    return a;
  });
  return op.on === undefined ? { op: op.op, args } : { op: op.op, on: map(op.on), args };
}
