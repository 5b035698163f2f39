/**
 * Instruction-count workload: the harness bench's cycle (allocate a 64-byte buffer, `retain()`,
 * `touch()`, `release()` twice; see scripts/bench/harness.ts) `n` times at the given settings,
 * inside a ledger scope as a test would run it, or `n` bare `Error.captureStackTrace` calls of the
 * frames a record captures, at the harness's stack depth (cut at a called method, or not cut).
 * `warmUp` units run first at every `n`.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/harness-cycle.ts \
 *   '{"work":"cycle","settings":{"level":"paranoid","exactLedger":true},"warmUp":500}' 2000
 */
import type { LeakDetectionSettings } from '../../../../harness';
import { captures, cycles, makeBuffer, minimalLedgerCycles, uncutCaptures, uncutInnerCaptures, viewCycles, withSettings } from '../../harness';
import { runWorkload } from './args';

/**
 * A cycle at `settings`, a cycle of views (`view-cycle`: a slice, a duplicate and a read-only view
 * of the cycle's buffer, each read once), the plain cycle with a minimal hand-written ledger
 * beside it (`minimal-ledger-cycle`: the floor of any per-scope ledger; `settings` should switch
 * the harness's own ledger off), or a bare capture (`settings` then only sets the stack depth):
 * cut at a method the loop called, as the harness time section's (`bare-capture`), with no cut
 * function (`bare-capture-uncut`, the cheapest capture of the same frames), or with no cut
 * function two calls down (`bare-capture-uncut-inner`: a record that keeps its own two frames).
 */
export interface HarnessCycleConfig {
  readonly work: 'cycle' | 'view-cycle' | 'minimal-ledger-cycle' | 'bare-capture' | 'bare-capture-uncut' | 'bare-capture-uncut-inner';
  readonly settings: Partial<LeakDetectionSettings>;
  readonly warmUp: number;
}

function main({ config, n }: { config: HarnessCycleConfig; n: number }): void {
  const works = {
    cycle: (count: number) => cycles(makeBuffer, count),
    'view-cycle': viewCycles,
    'bare-capture': captures,
    'minimal-ledger-cycle': minimalLedgerCycles,
    'bare-capture-uncut': uncutCaptures,
    'bare-capture-uncut-inner': uncutInnerCaptures,
  };
  const work = works[config.work];
  if (work === undefined) throw new Error(`Expected work among ${Object.keys(works).join(', ')}, got '${String(config.work)}'`);
  withSettings(config.settings, () => {
    work(config.warmUp);
    work(n);
  });
}

if (require.main === module) runWorkload(main);
