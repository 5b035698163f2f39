/**
 * Instruction-count workload: the harness bench's cycle (allocate a 64-byte buffer, `retain()`,
 * `touch()`, `release()` twice; see scripts/bench/harness.ts) `n` times at the given settings,
 * inside a ledger scope as a test would run it, or `n` bare `Error.captureStackTrace` calls of the
 * frames a record captures, at the harness's stack depth. `warmUp` units run first at every `n`.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/harness-cycle.ts \
 *   '{"work":"cycle","settings":{"level":"paranoid","exactLedger":true},"warmUp":500}' 2000
 */
import type { LeakDetectionSettings } from '../../../../harness';
import { captures, cycles, makeBuffer, withSettings } from '../../harness';
import { runWorkload } from './args';

/** A cycle at `settings`, or a bare capture (`settings` then only sets the stack depth). */
export interface HarnessCycleConfig {
  readonly work: 'cycle' | 'bare-capture';
  readonly settings: Partial<LeakDetectionSettings>;
  readonly warmUp: number;
}

function main({ config, n }: { config: HarnessCycleConfig; n: number }): void {
  const work = config.work === 'cycle' ? (count: number) => cycles(makeBuffer, count) : captures;
  withSettings(config.settings, () => {
    work(config.warmUp);
    work(n);
  });
}

if (require.main === module) runWorkload(main);
