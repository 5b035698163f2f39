/**
 * Shrinks a divergent sequence to a minimal one that still diverges with the same kind (delta
 * debugging): it tries dropping chunks of ops, halving the chunk size down to single ops, keeps
 * the first (shortest) candidate that still diverges, and stops when no single op can go. Dropping
 * an op drops every later op that uses a handle it made, and the handles left are renumbered in
 * creation order. Candidates of one round are judged in one batch, so a round costs one round trip
 * to the JVM.
 * @packageDocumentation
 */
import { resolveSequence } from './resolve';
import { handlesUsed, renumberOp, type Op, type Sequence } from './sequence';

/** The kind of each candidate's first divergence (null: none). */
export type KindOracle = (candidates: readonly Sequence[]) => Promise<readonly (string | null)[]>;

/** `seq` without the ops at `drop`, nor the ops that use their handles; handles renumbered. */
export function dropOps(seq: Sequence, drop: ReadonlySet<number>): Sequence {
  const resolved = resolveSequence(seq);
  const goneHandles = new Set<number>();
  const kept: Op[] = [];
  const newNumber = new Map<number, number>();
  resolved.ops.forEach(({ op, creates }, i) => {
    const gone = drop.has(i) || handlesUsed(op).some((h) => goneHandles.has(h));
    if (creates !== null) {
      if (gone) goneHandles.add(creates);
      else newNumber.set(creates, newNumber.size);
    }
    if (!gone) kept.push(renumberOp(op, (k) => newNumber.get(k)!));
  });
  return { seed: seq.seed, ops: kept };
}

function range(from: number, to: number): Set<number> {
  const out = new Set<number>();
  for (let i = from; i < to; i++) out.add(i);
  return out;
}

/** A minimal sequence that `oracle` still finds diverging with `kind` (see the module comment). */
export async function shrink(seq: Sequence, kind: string, oracle: KindOracle): Promise<Sequence> {
  let current = seq;
  let chunk = Math.max(1, Math.ceil(current.ops.length / 2));
  for (;;) {
    const n = current.ops.length;
    const candidates: Sequence[] = [];
    for (let start = 0; start < n; start += chunk) {
      const c = dropOps(current, range(start, Math.min(n, start + chunk)));
      if (c.ops.length > 0 && c.ops.length < n) candidates.push(c);
    }
    const kinds = candidates.length === 0 ? [] : await oracle(candidates);
    let best: Sequence | null = null;
    for (let i = 0; i < kinds.length; i++) {
      const c = candidates[i]!;
      if (kinds[i] === kind && (best === null || c.ops.length < best.ops.length)) best = c;
    }
    if (best !== null) {
      current = best;
      chunk = Math.max(1, Math.min(chunk, Math.ceil(current.ops.length / 2)));
      continue;
    }
    if (chunk === 1) return current;
    chunk = Math.ceil(chunk / 2);
  }
}
