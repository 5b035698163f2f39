/**
 * Instruction-count workload: `n` chunks through one way of scripts/bench/channel-per-chunk.ts
 * (the `ByteBufferAsyncWritableChannel`, the bare promise queue with the same protocol, a
 * `'data'` listener, `stream.pipeline`) at leak level `disabled` without the ledger, as that
 * section times them. `warmUp` chunks go through first at every `n`.
 *
 * Usage: node --import tsx scripts/bench/instructions/workloads/channel-chunk.ts '{"way":"channel","warmUp":20000}' 100000
 */
import { LeakDetection } from '../../../../harness';
import { perChunkWays, type WayKey } from '../../channel-per-chunk';
import { runWorkload } from './args';

/** Which way the chunks go. */
export interface ChannelChunkConfig {
  readonly way: WayKey;
  readonly warmUp: number;
}

async function main({ config, n }: { config: ChannelChunkConfig; n: number }): Promise<void> {
  LeakDetection.configure({ level: 'disabled', exactLedger: false });
  const way = perChunkWays().find((w) => w.key === config.way);
  if (way === undefined) throw new Error(`Expected a way among ${perChunkWays().map((w) => w.key).join(', ')}, got '${config.way}'`);
  const moved = (await way.round(config.warmUp)) + (await way.round(n));
  if (moved !== config.warmUp + n) throw new Error(`Expected ${config.warmUp + n} chunks through ${way.name}, got ${moved}`);
}

if (require.main === module) runWorkload(main);
