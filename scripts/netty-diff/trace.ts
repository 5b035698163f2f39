/**
 * The normalised trace both runners write, one per sequence, one step per op:
 * - `r`, the result: `{ "v": ... }` a value (numbers of every width as decimal text, booleans, or
 *   for `nioBuffers` each ByteBuffer's state); `{ "o": ... }` a buffer, as `"new"` (a buffer no
 *   handle holds), `"#k"` (the object handle k holds), `"EmptyByteBuf"` (Netty's shared empty
 *   buffer, whichever instance), `"null"`, or `"other"`; `{ "e": class, "m": message }` an error,
 *   the class being Java's simple name (the model's `name`) and the message its first line only
 *   (the model's tracking detail follows on later lines; Java's `null` message is `""`);
 *   `{ "u": why }` an op neither runner ran, because Netty's behaviour is undefined there;
 * - `d`, the handles whose state changed with this op, by number: a ByteBuf as
 *   `"refCnt readerIndex writerIndex capacity maxCapacity content"` (or `"released"` at refCnt 0;
 *   content is the readable bytes in hex, `-` for none, `!Class` when reading them throws), a
 *   ByteBuffer as `"position limit capacity content"` (the remaining bytes), a byte array as its
 *   hex. Only changes are listed, so a trace stays small; `stateAt` folds them back.
 * @packageDocumentation
 */

/** An op's result. */
export type StepResult =
  | { readonly v: string | boolean | readonly string[] }
  | { readonly o: string }
  | { readonly e: string; readonly m: string }
  /** Not run on either side: what it would do in Netty is undefined (the text says why). */
  | { readonly u: string };

/** One op's trace. */
export interface Step {
  readonly r: StepResult;
  /** Handle number -> its new state. */
  readonly d: Readonly<Record<string, string>>;
}

/** One sequence's trace; `fatal` when the runner itself failed on it. */
export interface Trace {
  readonly seed: number;
  readonly steps: readonly Step[];
  readonly fatal?: string;
}

/** The state of every handle after step `index` (inclusive), folded from the changes. */
export function stateAt(trace: Trace, index: number): Record<string, string> {
  const state: Record<string, string> = {};
  for (let i = 0; i <= index && i < trace.steps.length; i++) Object.assign(state, trace.steps[i]!.d);
  return state;
}

/** The field names of a state string, by the number of its fields. */
export function stateFields(state: string): readonly string[] {
  const n = state.split(' ').length;
  if (n === 6) return ['refCnt', 'readerIndex', 'writerIndex', 'capacity', 'maxCapacity', 'content'];
  if (n === 4) return ['position', 'limit', 'capacity', 'content'];
  return ['content'];
}

/** Lower-case hex of `bytes`, `-` for none. */
export function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? '-' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** The first line of an error message. */
export function firstLine(message: string): string {
  const at = message.indexOf('\n');
  return at < 0 ? message : message.slice(0, at);
}

/** Same result, compared by value. */
export function sameResult(a: StepResult, b: StepResult): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
