/** The TypeScript runner's trace of a fixed sequence, exactly (no Java needed). */
import { LeakDetection } from '../../../harness';
import { runOnModel, UNDEFINED_SOURCE_RANGE } from '../../../scripts/netty-diff/modelRunner';
import { resolveSequence } from '../../../scripts/netty-diff/resolve';
import type { Sequence } from '../../../scripts/netty-diff/sequence';

// Every op here behaves as in Netty 4.1.48 (checked with `npm run netty-diff -- --replay`).
const SEQUENCE: Sequence = {
  seed: 9,
  ops: [
    { op: 'new byte[]', args: ['010203'] },
    { op: 'Unpooled.buffer', args: [4] },
    { op: 'writeBytes', on: 1, args: [{ h: 0 }] },
    { op: 'readerIndex', on: 1, args: [1] },
    { op: 'slice', on: 1, args: [] },
    { op: 'retain', on: 2, args: [] },
    { op: 'getByte', on: 1, args: [9] },
    { op: 'release', on: 1, args: [2] },
    { op: 'refCnt', on: 2, args: [] },
    { op: 'readBytes', on: 2, args: [1] },
    { op: 'ByteBuffer.wrap', args: [{ h: 0 }, 1, 2] },
  ],
};

describe('runOnModel', () => {
  test('the trace of a fixed sequence: results, then only the handles whose state changed', () => {
    expect(runOnModel([resolveSequence(SEQUENCE)])).toEqual([
      {
        seed: 9,
        steps: [
          { r: { o: 'new' }, d: { 0: '010203' } },
          { r: { o: 'new' }, d: { 1: '1 0 0 4 2147483647 -' } },
          { r: { o: '#1' }, d: { 1: '1 0 3 4 2147483647 010203' } },
          { r: { o: '#1' }, d: { 1: '1 1 3 4 2147483647 0203' } },
          { r: { o: 'new' }, d: { 2: '1 0 2 2 2 0203' } },
          { r: { o: '#2' }, d: { 1: '2 1 3 4 2147483647 0203', 2: '2 0 2 2 2 0203' } },
          { r: { e: 'IndexOutOfBoundsException', m: 'index: 9, length: 1 (expected: range(0, 4))' }, d: {} },
          { r: { v: true }, d: { 1: 'released', 2: 'released' } },
          { r: { v: '0' }, d: {} },
          { r: { e: 'IllegalReferenceCountException', m: 'refCnt: 0' }, d: {} },
          { r: { o: 'new' }, d: { 4: '1 3 3 0203' } },
        ],
      },
    ]);
  });

  test('an op on a handle that holds nothing, and a composite op on a non-composite, fail alike in both runners', () => {
    const [trace] = runOnModel([
      resolveSequence({
        seed: 1,
        ops: [
          { op: 'Unpooled.buffer', args: [2] },
          { op: 'unwrap', on: 0, args: [] },
          { op: 'readByte', on: 1, args: [] },
          { op: 'new byte[]', args: [''] },
          { op: 'Unpooled.wrappedBuffer', args: [[{ h: 2 }, { h: 2 }]] },
          { op: 'numComponents', on: 3, args: [] },
        ],
      }),
    ]);
    expect(trace!.steps.map((s) => s.r)).toEqual([
      { o: 'new' },
      { o: 'null' },
      { e: 'NoHandle', m: '#1 holds nothing' },
      { o: 'new' },
      { o: 'EmptyByteBuf' },
      { e: 'ClassCastException', m: '#3 is not a CompositeByteBuf' },
    ]);
  });

  test('a composite added to itself: the stack overflow is StackOverflowError (as the JVM reports it), never a runner failure', () => {
    const [trace] = runOnModel([
      resolveSequence({
        seed: 3,
        ops: [
          { op: 'UnpooledByteBufAllocator.DEFAULT.compositeBuffer', args: [] },
          { op: 'addComponent', on: 0, args: [false, { h: 0 }] },
          { op: 'isDirect', on: 0, args: [] },
          { op: 'slice', on: 0, args: [0, 0] },
          { op: 'new byte[]', args: ['e931'] },
          // The skip rule asks the slice isDirect(), which overflows: counted as direct, not run.
          { op: 'writeBytes', on: 1, args: [{ h: 2 }, 12, 6] },
        ],
      }),
    ]);
    expect(trace!.fatal).toBeUndefined();
    expect(trace!.steps.map((s) => s.r)).toEqual([
      { o: 'new' },
      { o: '#0' },
      { e: 'StackOverflowError', m: '' },
      { o: 'new' },
      { o: 'new' },
      { u: UNDEFINED_SOURCE_RANGE },
    ]);
  });

  test('a javaByte operand is the signed byte Java receives: put(byte) of 256 stores 0', () => {
    const [trace] = runOnModel([
      resolveSequence({ seed: 4, ops: [{ op: 'ByteBuffer.allocate', args: [1] }, { op: 'put', on: 0, args: [256] }] }),
    ]);
    expect(trace!.steps.map((s) => s.r)).toEqual([{ o: 'new' }, { o: '#0' }]);
    expect(trace!.steps[1]!.d).toEqual({ 0: '1 1 1 -' });
  });

  test('leak detection is off while sequences run and restored after', () => {
    const before = LeakDetection.settings();
    runOnModel([resolveSequence({ seed: 1, ops: [{ op: 'Unpooled.buffer', args: [8] }] })]);
    expect(LeakDetection.settings()).toEqual(before);
  });
});
