/**
 * Compares Netty's trace of a sequence with the model's, op by op, and names the first divergence:
 * the op (its overload's label), what differs (the aspect) and both sides. The kind of a
 * divergence, `label: aspect`, is what reports group by and what shrinking keeps.
 * @packageDocumentation
 */
import type { ResolvedSequence } from './resolve';
import { sameResult, stateAt, stateFields, type StepResult, type Trace } from './trace';

/** The first place where the model's trace leaves Netty's. */
export interface Divergence {
  /** Index of the op in the sequence; -1 when a runner failed on the whole sequence. */
  readonly index: number;
  /** The op's overload label, e.g. `readBytes(int)`. */
  readonly label: string;
  /** What differs: `value`, `error message`, `state.refCnt`, ... */
  readonly aspect: string;
  /** `label: aspect`. */
  readonly kind: string;
  /** Netty's side, as text. */
  readonly netty: string;
  /** The model's side, as text. */
  readonly model: string;
}

function resultAspect(netty: StepResult, model: StepResult): string {
  if ('e' in model && model.e === 'MissingInModel') return 'missing in the model';
  if ('e' in netty && 'e' in model) return netty.e !== model.e ? 'error class' : 'error message';
  if ('e' in netty) return 'throws in Netty only';
  if ('e' in model) return 'throws in the model only';
  if ('v' in netty && 'v' in model) return 'value';
  if ('o' in netty && 'o' in model) return 'returned buffer';
  return 'result';
}

function stateAspect(netty: string | undefined, model: string | undefined): string {
  if (netty === undefined || model === undefined) return 'state.handle';
  if ((netty === 'released') !== (model === 'released')) return 'state.released';
  const a = netty.split(' ');
  const b = model.split(' ');
  const names = stateFields(netty);
  if (a.length !== b.length) return 'state';
  const at = a.findIndex((x, i) => x !== b[i]);
  return `state.${names[at] ?? 'content'}`;
}

function divergence(index: number, label: string, aspect: string, netty: string, model: string): Divergence {
  return { index, label, aspect, kind: `${label}: ${aspect}`, netty, model };
}

/** How strictly to compare. */
export interface CompareOptions {
  /** False: two errors of the same class agree whatever their messages (to see past message differences). */
  readonly messages: boolean;
}

function sameOutcome(a: StepResult, b: StepResult, options: CompareOptions): boolean {
  if (!options.messages && 'e' in a && 'e' in b) return a.e === b.e;
  return sameResult(a, b);
}

/** The first divergence of `model` from `netty` on `seq`, or null when they agree on every op. */
export function firstDivergence(seq: ResolvedSequence, netty: Trace, model: Trace, options: CompareOptions = { messages: true }): Divergence | null {
  if (netty.fatal !== undefined || model.fatal !== undefined) {
    return divergence(-1, 'runner', 'failure', netty.fatal ?? 'ok', model.fatal ?? 'ok');
  }
  for (let i = 0; i < seq.ops.length; i++) {
    const label = seq.ops[i]!.spec.label;
    const n = netty.steps[i];
    const m = model.steps[i];
    if (n === undefined || m === undefined) return divergence(i, label, 'missing step', JSON.stringify(n ?? null), JSON.stringify(m ?? null));
    if (!sameOutcome(n.r, m.r, options)) return divergence(i, label, resultAspect(n.r, m.r), JSON.stringify(n.r), JSON.stringify(m.r));
    const keys = [...new Set([...Object.keys(n.d), ...Object.keys(m.d)])].sort((x, y) => Number(x) - Number(y));
    let nState: Record<string, string> | null = null;
    let mState: Record<string, string> | null = null;
    for (const k of keys) {
      if (n.d[k] === m.d[k]) continue;
      nState ??= stateAt(netty, i);
      mState ??= stateAt(model, i);
      if (nState[k] === mState[k]) continue;
      return divergence(i, label, stateAspect(nState[k], mState[k]), `#${k}: ${nState[k] ?? 'nothing'}`, `#${k}: ${mState[k] ?? 'nothing'}`);
    }
  }
  return null;
}
