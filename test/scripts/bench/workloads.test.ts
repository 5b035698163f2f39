/**
 * The instruction-count workloads as the runner starts them (`node --import tsx <workload>
 * <config> <n>`), without callgrind and at tiny sizes: each exits 0 when its work checks out, and
 * 1 with the reason on stderr when its arguments are wrong.
 */
import * as path from 'node:path';
import { CallgrindRunError, runChild, workloadCommand } from '../../../scripts/bench/instructions/callgrind';

const ROOT = path.resolve(__dirname, '../../..');
const at = (workload: string): string => path.join(ROOT, 'scripts/bench/instructions/workloads', workload);
const run = (workload: string, config: object, n: number): Promise<void> => runChild(workloadCommand(at(workload), config, n), ROOT);
const TIMEOUT = 60_000;

describe('the workloads', () => {
  test.each([
    ['harness-cycle.ts', { work: 'cycle', settings: { level: 'paranoid', exactLedger: true }, warmUp: 5 }],
    ['harness-cycle.ts', { work: 'bare-capture', settings: {}, warmUp: 5 }],
    ['harness-cycle.ts', { work: 'view-cycle', settings: { level: 'paranoid', exactLedger: true }, warmUp: 5 }],
    ['harness-cycle.ts', { work: 'minimal-ledger-cycle', settings: { level: 'disabled', exactLedger: false }, warmUp: 5 }],
    ['harness-cycle.ts', { work: 'bare-capture-uncut-inner', settings: {}, warmUp: 5 }],
    ['promise-queue.ts', { scopeUsed: true, warmUp: 5 }],
    ['promise-queue.ts', { scopeUsed: false, warmUp: 5 }],
    ['promise-queue.ts', { scopeUsed: false, insideScope: true, warmUp: 5 }],
    ['sanitizer-session.ts', { session: true, level: 'paranoid', warmUp: 5 }],
    ['sanitizer-session.ts', { session: false, level: 'paranoid', warmUp: 5 }],
    ['channel-chunk.ts', { way: 'channel', warmUp: 5 }],
    ['channel-chunk.ts', { way: 'bare-queue-buffers', warmUp: 5 }],
    ['channel-chunk.ts', { way: 'data-listener', warmUp: 5 }],
  ])('%s %j runs and exits 0', async (workload, config) => {
    await expect(run(workload, config, 20)).resolves.toBeUndefined();
  }, TIMEOUT);

  test('a way that does not exist: exit 1, the reason in the stderr tail', async () => {
    const error = await run('channel-chunk.ts', { way: 'carrier-pigeon', warmUp: 1 }, 2).catch((e: unknown) => e as CallgrindRunError);
    expect(error).toBeInstanceOf(CallgrindRunError);
    expect(error!.message).toMatch(/^exited with 1: /);
    expect(error!.stderrTail).toContain("Expected a way among bare-queue, bare-queue-buffers, channel, data-listener, pipeline, for-await, got 'carrier-pigeon'");
  }, TIMEOUT);

  test('a size that is not an integer: exit 1', async () => {
    const error = await runChild(['node', '--import', 'tsx', at('harness-cycle.ts'), '{}', '2.5'], ROOT).catch((e: unknown) => e as CallgrindRunError);
    expect(error!.stderrTail).toContain("Expected <n> to be an integer >= 0, got '2.5'");
  }, TIMEOUT);
});
