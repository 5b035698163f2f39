/**
 * The seeded generator of operation sequences. Operations are drawn by weight from the table
 * among those whose handles exist; operands are mostly valid (small indices and sizes over small
 * buffers) and sometimes not: negative, past the end, huge, a count of 0, a byte out of range.
 * Releases are frequent, so operations on released buffers, double releases, views of released
 * buffers and composites holding released components come up on their own; so do read-only views,
 * composites of composites and empty sources (empty arrays, `allocate(0)`, `EMPTY_BUFFER`).
 * The generator never runs anything: a sequence depends on its seed and `maxOps` only.
 * @packageDocumentation
 */
import { accepts, OPS, type HandleType, type OpSpec, type ParamKind } from './ops';
import { Mulberry32 } from './random';
import type { Arg, HandleRef, Op, Sequence } from './sequence';

const HUGE = [0x7fffffff, 0x40000000, 0x7ffffff0];

function indexLike(r: Mulberry32): number {
  const p = r.next();
  if (p < 0.8) return r.int(0, 10);
  if (p < 0.9) return r.int(0, 40);
  if (p < 0.95) return -r.int(1, 3);
  return r.pick(HUGE);
}

function sizeLike(r: Mulberry32): number {
  const p = r.next();
  if (p < 0.75) return r.int(0, 16);
  if (p < 0.9) return r.int(0, 64);
  if (p < 0.97) return r.int(0, 300);
  return -1;
}

function countLike(r: Mulberry32): number {
  const p = r.next();
  if (p < 0.8) return r.int(1, 2);
  if (p < 0.9) return r.int(3, 5);
  if (p < 0.95) return 0;
  if (p < 0.98) return -1;
  return 0x7fffffff;
}

function hexLiteral(r: Mulberry32): string {
  const p = r.next();
  const n = p < 0.15 ? 0 : p < 0.9 ? r.int(1, 8) : r.int(9, 20);
  let out = '';
  for (let i = 0; i < n; i++) out += r.int(0, 255).toString(16).padStart(2, '0');
  return out;
}

/** A value for a Java `long`, as its decimal text: small, or anywhere in the range. */
function longText(r: Mulberry32): string {
  return (r.chance(0.4) ? BigInt(r.int(-300, 300)) : r.int64()).toString();
}

function pickHandle(r: Mulberry32, kind: ParamKind | OpSpec['on'] & string, types: readonly HandleType[]): number {
  const fit: number[] = [];
  for (let k = 0; k < types.length; k++) if (accepts(kind, types[k]!)) fit.push(k);
  // Recent handles half of the time: sequences then build on what they just made.
  return r.chance(0.5) ? fit[Math.max(0, fit.length - 1 - r.int(0, 2))]! : r.pick(fit);
}

function handles(r: Mulberry32, kind: ParamKind, min: number, max: number, types: readonly HandleType[]): HandleRef[] {
  const n = r.int(min, max);
  return Array.from({ length: n }, () => ({ h: pickHandle(r, kind, types) }));
}

function operand(r: Mulberry32, kind: ParamKind, types: readonly HandleType[]): Arg {
  switch (kind) {
    case 'index':
    case 'length':
      return indexLike(r);
    case 'size':
      return sizeLike(r);
    case 'count':
      return countLike(r);
    case 'byteValue':
    case 'javaByte':
      return r.chance(0.97) ? r.int(-128, 255) : r.pick([256, -129, 1000]);
    case 'short':
      return r.int(-40000, 70000);
    case 'medium':
      return r.int(-0x1000000, 0x1100000);
    case 'int':
      return r.chance(0.3) ? r.int(-300, 300) : r.int32();
    case 'long':
      return longText(r);
    case 'bool':
      return r.chance(0.5);
    case 'maxComponents': {
      const p = r.next();
      return p < 0.3 ? 16 : p < 0.92 ? r.int(1, 4) : r.int(-1, 0);
    }
    case 'hex':
      return hexLiteral(r);
    case 'bufs':
    case 'nios':
    case 'arrays':
      return handles(r, kind, 2, 4, types);
    case 'bufList':
      return handles(r, kind, 1, 3, types);
    case 'buf':
    case 'nio':
    case 'array':
      return { h: pickHandle(r, kind, types) };
  }
}

const HANDLE_KINDS = new Set<string>(['buf', 'nio', 'array', 'bufs', 'nios', 'arrays', 'bufList']);

/** The handle kinds an overload needs to exist before it can be drawn. */
const NEEDS: ReadonlyMap<OpSpec, readonly string[]> = new Map(
  OPS.map((s) => [s, [...(s.on === undefined ? [] : [s.on]), ...s.params.filter((p) => HANDLE_KINDS.has(p))]]),
);

function drawSpec(r: Mulberry32, types: readonly HandleType[]): OpSpec {
  const present = new Set(types);
  const has = (kind: string): boolean => [...present].some((t) => accepts(kind as ParamKind, t));
  // Factories often while there is little to work on, rarely once there is a lot.
  const factoryFactor = types.length < 2 ? 6 : types.length > 12 ? 0.3 : 1;
  const eligible: OpSpec[] = [];
  const weights: number[] = [];
  let total = 0;
  for (const s of OPS) {
    if (!NEEDS.get(s)!.every(has)) continue;
    const w = s.on === undefined ? s.weight * factoryFactor : s.weight;
    eligible.push(s);
    weights.push(w);
    total += w;
  }
  let x = r.next() * total;
  for (let i = 0; i < eligible.length; i++) {
    x -= weights[i]!;
    if (x < 0) return eligible[i]!;
  }
  return eligible[eligible.length - 1]!;
}

/** The sequence of seed `seed`: 1 to `maxOps` operations. */
export function generateSequence(seed: number, maxOps: number): Sequence {
  const r = new Mulberry32(seed);
  const length = r.int(1, maxOps);
  const types: HandleType[] = [];
  const ops: Op[] = [];
  for (let i = 0; i < length; i++) {
    const spec = drawSpec(r, types);
    const on = spec.on === undefined ? undefined : pickHandle(r, spec.on, types);
    const args = spec.params.map((p) => operand(r, p, types));
    ops.push(on === undefined ? { op: spec.name, args } : { op: spec.name, on, args });
    if (spec.result !== 'value' && spec.result !== 'self') types.push(spec.result);
  }
  return { seed, ops };
}

/** `count` sequences with seeds `seed`, `seed + 1`, ...: sequence i reruns alone with `--seed seed+i --count 1`. */
export function generateSequences(seed: number, count: number, maxOps: number): Sequence[] {
  return Array.from({ length: count }, (_, i) => generateSequence(seed + i, maxOps));
}
