/**
 * What a run found: the divergent sequences grouped by the kind of their first divergence, with
 * counts, one or a few shrunk examples per kind (as JSON and as Java), and the closing line.
 * @packageDocumentation
 */
import type { AcceptedDifference } from './accepted';
import type { Divergence } from './compare';
import type { Sequence } from './sequence';

/** One shrunk example of a kind. */
export interface Example {
  readonly seed: number;
  /** The divergence in the generated sequence. */
  readonly original: Divergence;
  readonly originalLength: number;
  readonly shrunk: Sequence;
  /** The divergence in the shrunk sequence. */
  readonly divergence: Divergence;
  readonly java: string;
}

/** The sequences whose first divergence is of one kind. */
export interface KindGroup {
  readonly kind: string;
  /** The accepted difference it matches, if any. */
  readonly accepted: AcceptedDifference | null;
  /** Seeds of the sequences, in run order. */
  readonly seeds: number[];
  readonly examples: Example[];
}

/** The whole result, as `--json` writes it. */
export interface DiffResult {
  readonly seed: number | null;
  readonly maxOps: number | null;
  readonly sequences: number;
  readonly divergent: number;
  readonly accepted: number;
  readonly seconds: { readonly netty: number; readonly model: number; readonly shrink: number; readonly total: number };
  readonly kinds: readonly KindGroup[];
}

/** `netty-diff: N sequences, D divergent` (and ` (A accepted)` when A > 0). */
export function closingLine(r: Pick<DiffResult, 'sequences' | 'divergent' | 'accepted'>): string {
  return `netty-diff: ${r.sequences} sequences, ${r.divergent} divergent${r.accepted > 0 ? ` (${r.accepted} accepted)` : ''}`;
}

function indent(text: string, by: string): string {
  return text.trimEnd().split('\n').map((l) => by + l).join('\n');
}

/** The groups, most frequent first, each with its examples (the closing line is `closingLine`'s). */
export function formatKinds(r: DiffResult): string {
  const out: string[] = [];
  const kinds = [...r.kinds].sort((a, b) => b.seeds.length - a.seeds.length || (a.kind < b.kind ? -1 : 1));
  const divergentKinds = kinds.filter((k) => k.accepted === null);
  if (divergentKinds.length > 0) out.push(`netty-diff: ${divergentKinds.length} kinds of divergence (a sequence counts under its first)`);
  for (const k of kinds) {
    const n = k.seeds.length;
    const head = `== ${k.kind}: ${n} sequence${n === 1 ? '' : 's'}`;
    if (k.accepted !== null) {
      out.push(`${head}, accepted: ${k.accepted.reason}`);
      continue;
    }
    out.push(head);
    for (const e of k.examples) {
      out.push(
        `   seed ${e.seed}, op ${e.original.index} of ${e.originalLength}; shrunk to ${e.shrunk.ops.length} op${e.shrunk.ops.length === 1 ? '' : 's'}, diverging at op ${e.divergence.index}:`,
        `   Netty: ${e.divergence.netty}`,
        `   model: ${e.divergence.model}`,
        `   sequence: ${JSON.stringify(e.shrunk)}`,
        '   Java:',
        indent(e.java, '     '),
      );
    }
    const rest = n - k.examples.length;
    if (k.examples.length > 0 && rest > 0) out.push(`   (${rest} more sequence${rest === 1 ? '' : 's'} of this kind, not shrunk: seeds ${k.seeds.slice(k.examples.length, k.examples.length + 8).join(', ')}${rest > 8 ? ', ...' : ''})`);
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
