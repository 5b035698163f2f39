/**
 * The results of a run, kept as JSON text until the run ends. A full garbage collection marks one
 * string per result, where the objects of a result's report (groups, records, frames) would make
 * every collection cost more with every result kept; the GC-proof scenarios force collections,
 * so a run of N of them would cost O(N²). The text is what `--json` writes, so nothing is lost.
 * @packageDocumentation
 */
import type { RunResult } from './report';

/** Run results by their plan index, in the order they were added. */
export class CompactResults {
  private readonly texts = new Map<number, string>();

  /** Keeps `result` under its index. */
  set(result: RunResult): void {
    this.texts.set(result.index, JSON.stringify(result));
  }

  /** Changes the result of `index` with `change`; false when there is none. */
  update(index: number, change: (result: RunResult) => void): boolean {
    const text = this.texts.get(index);
    if (text === undefined) return false;
    const result = JSON.parse(text) as RunResult;
    change(result);
    this.texts.set(index, JSON.stringify(result));
    return true;
  }

  /** Every result, as objects again. */
  values(): RunResult[] {
    return [...this.texts.values()].map((t) => JSON.parse(t) as RunResult);
  }
}
