/**
 * The score of a mutant run, the known-equivalent survivors, and the runner's exit code.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { Verdict } from './verdict';

/** The least share of mutants the scenarios must catch. */
export const REQUIRED_SCORE = 0.95;

/** A survivor known not to be catchable, and why (`scenarios/mutants/equivalent.json`). */
export interface Equivalent {
  readonly id: string;
  readonly reason: string;
}

/** The known-equivalent survivors listed in `file` (an array of `{ id, reason }`). */
export function loadEquivalents(file: string): Equivalent[] {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(value)) throw new Error(`${file}: expected an array of { id, reason }`);
  return value.map((entry: unknown, i) => {
    const e = entry as Partial<Equivalent> | null;
    if (typeof e?.id !== 'string' || typeof e.reason !== 'string' || e.reason === '') {
      throw new Error(`${file}: entry ${i}: expected { "id": string, "reason": non-empty string }`);
    }
    return { id: e.id, reason: e.reason };
  });
}

/** What a run adds up to. */
export interface Score {
  readonly caught: number;
  readonly survived: number;
  /** caught / (caught + survived), 1 for an empty run. */
  readonly ratio: number;
  /** Survivors that `equivalent.json` does not list. */
  readonly unlisted: string[];
  /** `equivalent.json` entries that were caught (the list is stale). */
  readonly staleEquivalents: string[];
}

export function score(verdicts: ReadonlyMap<string, Verdict>, equivalents: readonly Equivalent[]): Score {
  const known = new Set(equivalents.map((e) => e.id));
  let caught = 0;
  const unlisted: string[] = [];
  const staleEquivalents: string[] = [];
  for (const [id, verdict] of verdicts) {
    if (verdict.status === 'caught') {
      caught++;
      if (known.has(id)) staleEquivalents.push(id);
    } else if (!known.has(id)) unlisted.push(id);
  }
  const total = verdicts.size;
  return { caught, survived: total - caught, ratio: total === 0 ? 1 : caught / total, unlisted, staleEquivalents };
}

/** `mutants: 62 caught, 2 survived (96.9%)`. */
export function summaryLine(s: Score): string {
  return `mutants: ${s.caught} caught, ${s.survived} survived (${(s.ratio * 100).toFixed(1)}%)`;
}

/**
 * 0 when the score reaches {@link REQUIRED_SCORE} and every survivor is listed as equivalent; 1
 * otherwise. With `--only` (`partial`), the score of a few mutants says nothing: only unlisted
 * survivors fail.
 */
export function exitCodeOf(s: Score, partial: boolean): 0 | 1 {
  if (s.unlisted.length > 0) return 1;
  if (!partial && s.ratio < REQUIRED_SCORE) return 1;
  return 0;
}
