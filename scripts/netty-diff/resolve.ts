/**
 * Matches each op of a sequence to its overload in the table, by name, receiver type and operand
 * shapes (handle operands by the type of the handle they name), and numbers the handles. Both
 * runners and the printer work on resolved sequences; a sequence that names no overload (a typo
 * in a replayed file) is a usage error, not a divergence.
 * @packageDocumentation
 */
import { accepts, OPS, type HandleType, type OpSpec, type ParamKind } from './ops';
import { isHandleRef, type Arg, type Op, type Sequence } from './sequence';

/** An op with its overload, and the handle it creates (if its overload creates one). */
export interface ResolvedOp {
  readonly op: Op;
  readonly spec: OpSpec;
  readonly creates: number | null;
}

/** A sequence whose ops were matched to overloads. */
export interface ResolvedSequence {
  readonly seed: number;
  readonly ops: readonly ResolvedOp[];
  /** Each handle's type, by handle number. */
  readonly handleTypes: readonly HandleType[];
}

/** A sequence that cannot be run as written. */
export class SequenceError extends Error {
  override readonly name = 'SequenceError';
  readonly code = 'ERR_NETTY_DIFF_SEQUENCE';
}

const INT_KINDS = new Set<ParamKind>(['index', 'length', 'size', 'count', 'byteValue', 'javaByte', 'short', 'medium', 'int', 'maxComponents']);
const LIST_KINDS = new Set<ParamKind>(['bufs', 'nios', 'arrays', 'bufList']);

function argFits(kind: ParamKind, arg: Arg, types: readonly HandleType[]): boolean {
  if (typeof arg === 'number') return INT_KINDS.has(kind) && Number.isInteger(arg);
  if (typeof arg === 'string') return (kind === 'long' && /^-?\d+$/.test(arg)) || (kind === 'hex' && /^([0-9a-f]{2})*$/.test(arg));
  if (typeof arg === 'boolean') return kind === 'bool';
  if (Array.isArray(arg)) {
    const refs = arg as readonly Arg[];
    return LIST_KINDS.has(kind) && refs.length > 0 && refs.every((r) => isHandleRef(r) && types[r.h] !== undefined && accepts(kind, types[r.h]!));
  }
  return isHandleRef(arg) && !LIST_KINDS.has(kind) && types[arg.h] !== undefined && accepts(kind, types[arg.h]!);
}

const BY_NAME = new Map<string, OpSpec[]>();
for (const spec of OPS) BY_NAME.set(spec.name, [...(BY_NAME.get(spec.name) ?? []), spec]);

/** The overload `op` calls, given the types of the handles made so far; throws `SequenceError` if none. */
export function specOf(op: Op, types: readonly HandleType[]): OpSpec {
  const candidates = BY_NAME.get(op.op);
  if (candidates === undefined) throw new SequenceError(`unknown op '${op.op}'`);
  const receiver = op.on === undefined ? undefined : types[op.on];
  if (op.on !== undefined && receiver === undefined) throw new SequenceError(`op '${op.op}': handle #${op.on} is not made before it`);
  const found = candidates.find(
    (s) =>
      (s.on === undefined ? op.on === undefined : receiver !== undefined && accepts(s.on, receiver)) &&
      s.params.length === op.args.length &&
      s.params.every((p, i) => argFits(p, op.args[i]!, types)),
  );
  if (found === undefined) throw new SequenceError(`op '${op.op}'${op.on === undefined ? '' : ` on #${op.on}`}: no overload takes ${JSON.stringify(op.args)}`);
  return found;
}

/** Resolves every op of `seq` (see the module comment). */
export function resolveSequence(seq: Sequence): ResolvedSequence {
  const types: HandleType[] = [];
  const ops = seq.ops.map((op): ResolvedOp => {
    const spec = specOf(op, types);
    let creates: number | null = null;
    if (spec.result !== 'value' && spec.result !== 'self') {
      creates = types.length;
      types.push(spec.result);
    }
    return { op, spec, creates };
  });
  return { seed: seq.seed, ops, handleTypes: types };
}
