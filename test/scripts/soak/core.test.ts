/**
 * The soak core: 2,000 sequences against the project's channels as part of `npm test`, and proof
 * that it fails, with a shrunk counterexample, on channels that are not what they must be.
 */
import { createByteBufferAsyncWritableChannel, RetainingAsyncWritableChannel, type WriteCallback, type WriteFuture } from '../../../channel';
import { ByteBuf, type ByteBuffer } from '../../../harness';
import { PROJECT_CHANNELS, runSoak, type SoakChannels } from '../../../scripts/soak/core';
import { SoakViolation } from '../../../scripts/soak/violation';
import { silenceGcLeakReports } from '../../channel/helpers';

silenceGcLeakReports();

const SEED = 20261201;

describe('runSoak', () => {
  test('2,000 sequences against the project channels: 0 failures, and the legacy leaks each predicted', async () => {
    const progress: number[] = [];
    const result = await runSoak({ sequences: 2000, seed: SEED, progressEvery: 500, onProgress: (done) => progress.push(done) });
    expect({ sequences: result.sequences, failures: result.failures, firstFailure: result.firstFailure }).toEqual({ sequences: 2000, failures: 0, firstFailure: null });
    expect(result.bbawcSequences + result.rawcSequences).toBe(2000);
    expect(progress).toEqual([500, 1000, 1500, 2000]);
    // Not vacuous: the legacy channel really leaked and over-released, as predicted.
    expect(result.legacyLeaks).toBeGreaterThan(100);
    expect(result.legacyOverReleases).toBeGreaterThan(100);
    expect(result.ops).toBeGreaterThan(20 * 2000);
  }, 300_000);

  test('the same seed generates the same sequences: the same figures', async () => {
    const a = await runSoak({ sequences: 100, seed: 99 });
    const b = await runSoak({ sequences: 100, seed: 99 });
    const figures = (r: typeof a) => [r.bbawcSequences, r.ops, r.legacyLeaks, r.legacyOverReleases];
    expect(figures(b)).toEqual(figures(a));
  }, 120_000);

  // The counterexamples below are what fast-check shrinks to for SEED with the soak's generators.

  test('the legacy channel in the fixed role: failures, shrunk to one ByteBuffer write whose wrapper leaks', async () => {
    const channels: SoakChannels = { ...PROJECT_CHANNELS, fixed: PROJECT_CHANNELS.legacy };
    const result = await runSoak({ sequences: 300, seed: SEED, channels });
    expect(result.sequences).toBe(300);
    expect(result.failures).toBeGreaterThan(0);
    const failure = result.firstFailure!;
    expect(failure.counterexample).toEqual({
      channel: 'bbawc',
      ops: [{ t: 'write', source: 'ByteBuffer:direct', size: 65, withCallback: false, fromCallback: null }],
    });
    const error = failure.error as SoakViolation;
    expect(error).toBeInstanceOf(SoakViolation);
    expect(error.message).toBe("leak: expected 0 leak(s), observed 1 leak(s), 65 byte(s) in scope 'soak-bbawc (fixed)'");
    // Shrunk at level paranoid: the report says where the wrapper was made.
    expect(error.evidence).toMatch(/^Leak 1: wrapper of a direct ByteBuffer x1 \(65 bytes\) created at LegacyByteBufferAsyncWritableChannel\.write \(channel\/AbstractByteBufferAsyncWritableChannel\.ts:\d+:\d+\)\n/);
  }, 120_000);

  test('the regression channel in the fixed role: shrunk to a ByteBuffer written after close, its wrapper leaked', async () => {
    const channels: SoakChannels = { ...PROJECT_CHANNELS, fixed: () => createByteBufferAsyncWritableChannel('regression') };
    const result = await runSoak({ sequences: 300, seed: SEED, channels });
    expect(result.failures).toBeGreaterThan(0);
    expect(result.firstFailure!.counterexample).toEqual({
      channel: 'bbawc',
      ops: [{ t: 'close' }, { t: 'write', source: 'ByteBuffer:heap', size: 1, withCallback: false, fromCallback: null }],
    });
    const error = result.firstFailure!.error as SoakViolation;
    expect(error.message).toBe("leak: expected 0 leak(s), observed 1 leak(s), 1 byte(s) in scope 'soak-bbawc (fixed)'");
    expect(error.evidence).toContain('created at RegressionByteBufferAsyncWritableChannel.write (channel/AbstractByteBufferAsyncWritableChannel.ts:');
  }, 120_000);

  test('the fixed channel in the legacy role: the predicted leak is missing', async () => {
    const channels: SoakChannels = { ...PROJECT_CHANNELS, legacy: PROJECT_CHANNELS.fixed };
    const result = await runSoak({ sequences: 200, seed: SEED, channels });
    expect(result.failures).toBeGreaterThan(0);
    expect(result.firstFailure!.counterexample).toEqual({
      channel: 'bbawc',
      ops: [{ t: 'write', source: 'ByteBuffer:direct', size: 65, withCallback: false, fromCallback: null }],
    });
    expect((result.firstFailure!.error as SoakViolation).message).toBe("leak: expected 1 leak(s), observed 0 in scope 'soak-bbawc (legacy)'");
  }, 120_000);

  test('a RetainingAsyncWritableChannel that retains a written ByteBuf once too often leaks', async () => {
    class OverRetaining extends RetainingAsyncWritableChannel {
      override write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture {
        if (src instanceof ByteBuf && this.isOpen()) src.retain();
        return super.write(src, callback);
      }
    }
    const channels: SoakChannels = { ...PROJECT_CHANNELS, retaining: (limit) => new OverRetaining(limit) };
    const result = await runSoak({ sequences: 200, seed: SEED, channels });
    expect(result.failures).toBeGreaterThan(0);
    const failure = result.firstFailure!;
    expect(failure.counterexample).toEqual({
      channel: 'rawc',
      limit: 2147483647,
      ops: [{ t: 'write', source: 'ByteBuf:heap', size: 1, withCallback: false, fromCallback: null }],
    });
    expect((failure.error as SoakViolation).message).toBe("leak: expected 0 leak(s), observed 1 leak(s), 1 byte(s) in scope 'soak-rawc'");
  }, 120_000);
});
