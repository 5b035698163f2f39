/**
 * Instruction-count workload: `n` steps of a bare promise queue (write, `await next()`, resolve;
 * the floor of scripts/bench/channel-per-chunk.ts) outside any ledger scope, in a process where a
 * ledger scope (`ledger.scoped(...)`, with an `await` and a buffer inside) was used and has ended,
 * or in one where none ever was; or inside an open scope (`insideScope`). All load the harness;
 * `warmUp` steps run first at every `n`.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/promise-queue.ts '{"scopeUsed":true,"warmUp":20000}' 100000
 */
import { ledger, Unpooled } from '../../../../harness';
import { throughBareQueue } from '../../channel-per-chunk';
import { runWorkload } from './args';

/**
 * Whether a ledger scope was used (and ended) before the queue runs; with `insideScope`, the
 * queue runs inside an open scope instead (what a promise pays while the scope's hook is on).
 */
export interface PromiseQueueConfig {
  readonly scopeUsed: boolean;
  readonly insideScope?: boolean;
  readonly warmUp: number;
}

async function main({ config, n }: { config: PromiseQueueConfig; n: number }): Promise<void> {
  if (config.scopeUsed) {
    const { scope } = await ledger.scoped('used-and-ended', async () => {
      await Promise.resolve();
      Unpooled.buffer(8).release();
    });
    if (scope.report().leakCount !== 0) throw new Error('the ended scope reports a leak');
  }
  if (ledger.current() !== ledger.root) throw new Error('the queue would run inside a scope');
  const item = new Uint8Array(2);
  const run = async (): Promise<number> => (await throughBareQueue(item, config.warmUp)) + (await throughBareQueue(item, n));
  const moved = config.insideScope === true ? (await ledger.scoped('queue', run)).result : await run();
  if (moved !== config.warmUp + n) throw new Error(`Expected ${config.warmUp + n} steps, got ${moved}`);
}

if (require.main === module) runWorkload(main);
