/**
 * The soak's text output: the opening line with the seed, progress, the figures of the run, a
 * failure's counterexample and evidence, and the closing line CI reads.
 * @packageDocumentation
 */
import type { SoakFailure, SoakResult } from './core';
import type { SoakCase } from './operations';

const count = (n: number): string => n.toLocaleString('en-US');

/** The command that reruns a soak of `sequences` sequences with `seed`. */
export function rerunCommand(seed: number, sequences: number): string {
  return `SOAK_SEED=${seed} SOAK_SEQUENCES=${sequences} npm run soak`;
}

/** First line: what runs, and how to run it again. */
export function openingLine(seed: number, sequences: number, maxOps: number): string {
  return `soak: seed ${seed}, ${count(sequences)} sequences of at most ${maxOps} operations (rerun: ${rerunCommand(seed, sequences)})`;
}

/** One progress line. */
export function progressLine(done: number, total: number, failures: number, elapsedMs: number): string {
  return `soak: ${count(done)}/${count(total)} sequences, ${failures} failure(s), ${(elapsedMs / 1000).toFixed(0)} s`;
}

/** The figures of a finished run (the README's "Reliability" quotes them). */
export function figureLines(r: SoakResult): string[] {
  return [
    `soak: ${count(r.bbawcSequences)} ByteBufferAsyncWritableChannel sequences (each run on fixed and on legacy), ${count(r.rawcSequences)} RetainingAsyncWritableChannel sequences, ${count(r.ops)} operations in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `soak: legacy showed ${count(r.legacyLeaks)} leak(s) and ${count(r.legacyOverReleases)} over-release(s), each as its sequence predicts; fixed and retaining: 0 expected`,
  ];
}

/** The counterexample, one operation per line, and what it broke. */
export function failureLines(f: SoakFailure, seed: number): string[] {
  const lines = [`FAIL sequence #${f.index} (seed ${seed}): ${describeError(f.error)}`];
  if (f.counterexample !== null) {
    lines.push(`  shrunk counterexample (fast-check path ${f.path}):`);
    lines.push(...formatCase(f.counterexample).map((l) => `    ${l}`));
  }
  const evidence = (f.error as { evidence?: unknown } | null)?.evidence;
  if (typeof evidence === 'string') lines.push('  evidence:', ...evidence.split('\n').map((l) => `    ${l}`));
  lines.push(`  rerun up to this sequence: ${rerunCommand(seed, f.index + 1)}`);
  return lines;
}

/** A case as lines: the channel (and limit), then each operation as JSON. */
export function formatCase(c: SoakCase): string[] {
  const head = c.channel === 'bbawc' ? 'ByteBufferAsyncWritableChannel (fixed, then legacy):' : `RetainingAsyncWritableChannel(${c.limit}):`;
  const ops = c.ops.length === 0 ? ['(no operation: only the final close)'] : c.ops.map((op, i) => `${i + 1}. ${JSON.stringify(op)}`);
  return [head, ...ops];
}

/** The closing line, exactly: `soak: N sequences, F failures`. */
export function closingLine(sequences: number, failures: number): string {
  return `soak: ${sequences} sequences, ${failures} failures`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!;
  return String(error);
}
