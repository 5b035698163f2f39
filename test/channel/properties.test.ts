/**
 * Property-based tests (fast-check, seeded, shrinking) at level `paranoid`: random sequences of
 * channel operations with interleaved awaits, replayed by the soak's drivers (`scripts/soak/`),
 * which check the channel contract's invariants on what happened: every write acknowledged exactly
 * once, queued ones in write order, byte counts equal to what the consumer consumed, no
 * over-release, zero leaks, no live timer, no pending check-out. `npm run soak` (and its 2,000-run
 * test, which also replays each sequence against the legacy channel and expects exactly the leaks
 * it predicts) runs the same drivers on shorter sequences at level `disabled`, where the exact
 * ledger needs no stacks; here every buffer also keeps its records, so the tracking path is
 * exercised too.
 */
import fc from 'fast-check';
import { createByteBufferAsyncWritableChannel, RetainingAsyncWritableChannel } from '../../channel';
import { runBbawcSequence, type BbawcRole } from '../../scripts/soak/bbawc';
import { bbawcSequence, rawcSequence, sizeLimit } from '../../scripts/soak/operations';
import { runRawcSequence } from '../../scripts/soak/rawc';
import { SoakViolation } from '../../scripts/soak/violation';
import { silenceGcLeakReports, useParanoidLedger } from './helpers';

useParanoidLedger();
silenceGcLeakReports();

const SEED = 20251110;
/** Longer than the soak's sequences: fewer runs, more state per run. */
const MAX_OPS = 40;

const fixed = () => createByteBufferAsyncWritableChannel('fixed');
const legacy = () => createByteBufferAsyncWritableChannel('legacy');

const bbawcProperty = (makeChannel: typeof fixed, role: BbawcRole) =>
  fc.asyncProperty(bbawcSequence(MAX_OPS), async (ops) => {
    await runBbawcSequence(makeChannel, ops, role);
  });

describe('properties', () => {
  test('fixed ByteBufferAsyncWritableChannel: 1,000 random sequences keep every invariant', async () => {
    await fc.assert(bbawcProperty(fixed, 'fixed'), { numRuns: 1000, seed: SEED });
  }, 120_000);

  test('RetainingAsyncWritableChannel with random size limits: 1,000 random sequences keep every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(sizeLimit, rawcSequence(MAX_OPS), async (limit, ops) => {
        await runRawcSequence((l) => new RetainingAsyncWritableChannel(l), limit, ops);
      }),
      { numRuns: 1000, seed: SEED },
    );
  }, 120_000);

  test('the fixed-channel property fails on the legacy channel, and shrinks to a minimal sequence', async () => {
    const details = await fc.check(bbawcProperty(legacy, 'fixed'), { numRuns: 1000, seed: SEED });
    expect(details.failed).toBe(true);
    const error = details.errorInstance as SoakViolation;
    expect(error).toBeInstanceOf(SoakViolation);
    // Shrunk to the smaller of the seed's two bugs: a ByteBuf written to the closed channel,
    // released by the legacy channel and then by its owner.
    expect(details.counterexample).toEqual([[{ t: 'close' }, { t: 'write', source: 'ByteBuf:heap', size: 1, withCallback: false, fromCallback: null }]]);
    expect(error.message).toBe('misuse: expected 0 over-release(s), observed 1 (first: refCnt: 0, decrement: 1)');
  }, 120_000);

  test('the fixed-channel property fails on the legacy channel on ByteBuffers alone: one leaked wrapper', async () => {
    const byteBufferOnly = bbawcSequence(MAX_OPS).filter((ops) => ops.every((op) => op.t !== 'write' || (op.source.startsWith('ByteBuffer:') && op.fromCallback === null)));
    const details = await fc.check(
      fc.asyncProperty(byteBufferOnly, async (ops) => {
        await runBbawcSequence(legacy, ops, 'fixed');
      }),
      { numRuns: 1000, seed: SEED },
    );
    expect(details.failed).toBe(true);
    // The seed's bug: one non-empty ByteBuffer write that reaches the queue (the final close
    // acknowledges it), its wrapper never released.
    const [ops] = details.counterexample!;
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ t: 'write', source: expect.stringMatching(/^ByteBuffer:/) as unknown });
    const size = (ops[0] as { size: number }).size;
    expect(size).toBeGreaterThan(0);
    expect((details.errorInstance as Error).message).toBe(`leak: expected 0 leak(s), observed 1 leak(s), ${size} byte(s) in scope 'soak-bbawc (fixed)'`);
  }, 120_000);
});
