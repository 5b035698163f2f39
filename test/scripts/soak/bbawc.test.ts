/**
 * The BBAWC driver of the soak on hand-written sequences: its predictions of the legacy channel's
 * leaks and over-releases, counted here by hand, and the violations it reports for channels broken
 * on purpose (a checker is proved by the cases that must fail).
 */
import { ByteBuffer, ledger, type ByteBuf } from '../../../harness';
import { ByteBufferAsyncWritableChannel, createByteBufferAsyncWritableChannel, type WriteCallback, type WriteFuture } from '../../../channel';
import { runBbawcSequence } from '../../../scripts/soak/bbawc';
import type { BbawcOp, WriteOp } from '../../../scripts/soak/operations';
import type { SourceKind } from '../../../scripts/soak/sources';
import { SoakViolation } from '../../../scripts/soak/violation';
import { silenceGcLeakReports } from '../../channel/helpers';

silenceGcLeakReports();

const fixed = (): ByteBufferAsyncWritableChannel => new ByteBufferAsyncWritableChannel();
const legacy = () => createByteBufferAsyncWritableChannel('legacy');

function write(source: SourceKind, size: number, fromCallback: WriteOp | null = null, withCallback = true): WriteOp {
  return { t: 'write', source, size, withCallback, fromCallback };
}

async function violationOf(run: Promise<unknown>): Promise<SoakViolation> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SoakViolation);
  return error as SoakViolation;
}

/**
 * Queued: heap ByteBuffer of 10 (legacy leak 1), empty direct ByteBuffer (EMPTY_BUFFER: none),
 * direct ByteBuffer of 7 checked out and resolved with an error, whose callback writes a heap
 * ByteBuffer of 4 to the still open channel (leak 3). After close: ByteBuffer of 5 (released
 * through the closed path: none), heap ByteBuf of 3 (over-release 1), empty wrapped ByteBuf
 * (EMPTY_BUFFER: none), empty heap ByteBuf without callback (tracked, released at the end:
 * over-release 2).
 */
const HAND_COUNTED: BbawcOp[] = [
  write('ByteBuffer:heap', 10),
  write('ByteBuffer:direct', 0),
  write('ByteBuffer:direct', 7, write('ByteBuffer:heap', 4)),
  { t: 'checkout', as: 'chunk', timeout: 0, awaitIt: true },
  { t: 'checkout', as: 'bytebuf', timeout: 0, awaitIt: true },
  { t: 'checkout', as: 'chunk', timeout: undefined, awaitIt: true },
  { t: 'resolve', withError: false },
  { t: 'resolve', withError: false },
  { t: 'resolve', withError: true },
  { t: 'close' },
  write('ByteBuffer:heap', 5),
  write('ByteBuf:heap', 3),
  write('ByteBuf:wrapped', 0),
  write('ByteBuf:heap', 0, null, false),
];

describe('runBbawcSequence', () => {
  test('legacy: exactly the hand-counted 3 leaks and 2 over-releases; 16 operations', async () => {
    expect(await runBbawcSequence(legacy, HAND_COUNTED, 'legacy')).toEqual({ ops: 16, leaks: 3, overReleases: 2 });
  });

  test('fixed: the same sequence, 0 leaks and 0 over-releases', async () => {
    expect(await runBbawcSequence(fixed, HAND_COUNTED, 'fixed')).toEqual({ ops: 16, leaks: 0, overReleases: 0 });
  });

  test('the empty sequence is one operation (the final close), and clean on both', async () => {
    expect(await runBbawcSequence(fixed, [], 'fixed')).toEqual({ ops: 1, leaks: 0, overReleases: 0 });
    expect(await runBbawcSequence(legacy, [], 'legacy')).toEqual({ ops: 1, leaks: 0, overReleases: 0 });
  });

  test('legacy expected to be fixed: the leak, with its report as evidence', async () => {
    const v = await violationOf(runBbawcSequence(legacy, [write('ByteBuffer:direct', 100)], 'fixed'));
    expect(v.kind).toBe('leak');
    expect(v.message).toBe("leak: expected 0 leak(s), observed 1 leak(s), 100 byte(s) in scope 'soak-bbawc (fixed)'");
    expect(v.evidence).toContain('Leak 1: wrapper of a direct ByteBuffer x1 (100 bytes) created at LegacyByteBufferAsyncWritableChannel.write');
  });

  test('legacy expected to be fixed: a ByteBuf written after close is over-released', async () => {
    const v = await violationOf(runBbawcSequence(legacy, [{ t: 'close' }, write('ByteBuf:direct', 8)], 'fixed'));
    expect(v.message).toBe('misuse: expected 0 over-release(s), observed 1 (first: refCnt: 0, decrement: 1)');
  });

  test('fixed expected to be legacy: the predicted leak is missing', async () => {
    const v = await violationOf(runBbawcSequence(fixed, [write('ByteBuffer:heap', 1)], 'legacy'));
    expect(v.message).toBe("leak: expected 1 leak(s), observed 0 in scope 'soak-bbawc (legacy)'");
  });

  test('a channel that acknowledges a ByteBuffer write twice', async () => {
    class TwiceAcknowledging extends ByteBufferAsyncWritableChannel {
      override write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture {
        const twice: WriteCallback | undefined = callback && ((n, e) => (callback(n, e), callback(n, e)));
        return super.write(src, src instanceof ByteBuffer ? twice : callback);
      }
    }
    const ops: BbawcOp[] = [write('ByteBuffer:heap', 3), { t: 'checkout', as: 'chunk', timeout: 0, awaitIt: true }, { t: 'resolve', withError: false }];
    const v = await violationOf(runBbawcSequence(() => new TwiceAcknowledging(), ops, 'fixed'));
    expect(v.message).toBe('ack: write 0: callback called 2 time(s)');
  });

  test('a channel that consumes a byte of what it hands out miscounts the bytes written', async () => {
    class ByteEating extends ByteBufferAsyncWritableChannel {
      override async getNextByteBuf(timeoutMs?: number): Promise<ByteBuf | null> {
        const buf = await super.getNextByteBuf(timeoutMs);
        buf?.skipBytes(1);
        return buf;
      }
    }
    const ops: BbawcOp[] = [write('ByteBuf:heap', 5), { t: 'checkout', as: 'bytebuf', timeout: 0, awaitIt: true }, { t: 'resolve', withError: false }];
    const v = await violationOf(runBbawcSequence(() => new ByteEating(), ops, 'fixed'));
    expect(v.message).toBe('bytes: write 0: acknowledged 1 byte(s), the consumer consumed 0');
  });

  test('a channel that fails a write to the closed channel later than write() returns', async () => {
    class LateOnClosed extends ByteBufferAsyncWritableChannel {
      override write(src: ByteBuffer | ByteBuf, callback?: WriteCallback): WriteFuture {
        if (this.isOpen() || callback === undefined) return super.write(src, callback);
        return super.write(src, (n, e) => void Promise.resolve().then(() => callback(n, e)));
      }
    }
    const v = await violationOf(runBbawcSequence(() => new LateOnClosed(), [{ t: 'close' }, write('ByteBuffer:heap', 2)], 'fixed'));
    expect(v.message).toBe('ack: write 0 to the closed channel: not acknowledged before write() returned');
  });

  test('a channel that leaves a timer armed after close()', async () => {
    const armed: NodeJS.Timeout[] = [];
    class TimerLeaving extends ByteBufferAsyncWritableChannel {
      override getNextChunk(timeoutMs?: number): Promise<ByteBuffer | null> {
        armed.push(setTimeout(() => undefined, 60_000));
        return super.getNextChunk(timeoutMs);
      }
    }
    try {
      const v = await violationOf(runBbawcSequence(() => new TimerLeaving(), [{ t: 'checkout', as: 'chunk', timeout: 0, awaitIt: false }], 'fixed'));
      expect(v.message).toBe('timer: 1 timer(s) live right after close()');
    } finally {
      armed.forEach(clearTimeout);
    }
    expect(armed).toHaveLength(1);
  });

  test('a check-out that never settles after close()', async () => {
    class NeverSettling extends ByteBufferAsyncWritableChannel {
      override getNextByteBuf(): Promise<ByteBuf | null> {
        return new Promise(() => undefined);
      }
    }
    const v = await violationOf(runBbawcSequence(() => new NeverSettling(), [{ t: 'checkout', as: 'bytebuf', timeout: undefined, awaitIt: true }], 'fixed'));
    expect(v.message).toBe('pending: 1 check-out(s) never settled after close()');
  });

  test('runs in its own ledger scope: nothing reaches the caller\'s scope', async () => {
    const scope = (await ledger.scoped('outer', () => runBbawcSequence(legacy, HAND_COUNTED, 'legacy'))).scope;
    expect(scope.createdCount).toBe(0);
  });
});
