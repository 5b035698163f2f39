/** Comparing traces, dropping ops, shrinking with a stand-in oracle, and the accepted list (no Java needed). */
import { acceptedFor, type AcceptedDifference } from '../../../scripts/netty-diff/accepted';
import { firstDivergence } from '../../../scripts/netty-diff/compare';
import { resolveSequence } from '../../../scripts/netty-diff/resolve';
import type { Op, Sequence } from '../../../scripts/netty-diff/sequence';
import { dropOps, shrink, type KindOracle } from '../../../scripts/netty-diff/shrink';
import type { Trace } from '../../../scripts/netty-diff/trace';

const SEQ = resolveSequence({
  seed: 3,
  ops: [
    { op: 'Unpooled.buffer', args: [4] },
    { op: 'retain', on: 0, args: [] },
    { op: 'slice', on: 0, args: [] },
    { op: 'readByte', on: 1, args: [] },
  ],
});

const NETTY: Trace = {
  seed: 3,
  steps: [
    { r: { o: 'new' }, d: { 0: '1 0 0 4 2147483647 -' } },
    { r: { o: '#0' }, d: { 0: '2 0 0 4 2147483647 -' } },
    { r: { o: 'new' }, d: { 1: '2 0 0 0 0 -' } },
    { r: { e: 'IndexOutOfBoundsException', m: 'readerIndex(0) + length(1) exceeds writerIndex(0)' }, d: {} },
  ],
};

function withStep(trace: Trace, index: number, step: Trace['steps'][number]): Trace {
  return { ...trace, steps: trace.steps.map((s, i) => (i === index ? step : s)) };
}

describe('firstDivergence', () => {
  test('equal traces agree', () => {
    expect(firstDivergence(SEQ, NETTY, NETTY)).toBeNull();
  });

  test('a state difference: the first op whose change differs, the first differing field of the first handle', () => {
    const model = withStep(NETTY, 1, { r: { o: '#0' }, d: { 0: '1 0 0 4 2147483647 -' } });
    expect(firstDivergence(SEQ, NETTY, model)).toEqual({
      index: 1,
      label: 'retain()',
      aspect: 'state.refCnt',
      kind: 'retain(): state.refCnt',
      netty: '#0: 2 0 0 4 2147483647 -',
      model: '#0: 1 0 0 4 2147483647 -',
    });
  });

  test('a change listed on one side only is compared with the other side\'s folded state', () => {
    // The model reports handle 0 again with the same state: not a divergence.
    const model = withStep(NETTY, 2, { r: { o: 'new' }, d: { 0: '2 0 0 4 2147483647 -', 1: '2 0 0 0 0 -' } });
    expect(firstDivergence(SEQ, NETTY, model)).toBeNull();
  });

  test.each([
    [{ e: 'IndexOutOfBoundsException', m: 'other text' }, 'error message'],
    [{ e: 'IllegalReferenceCountException', m: 'refCnt: 0' }, 'error class'],
    [{ v: '0' }, 'throws in Netty only'],
    [{ e: 'MissingInModel', m: 'the model has no readByte()' }, 'missing in the model'],
  ])('result %j at op 3: %s', (r, aspect) => {
    const model = withStep(NETTY, 3, { r, d: {} });
    const d = firstDivergence(SEQ, NETTY, model)!;
    expect([d.index, d.kind, d.model]).toEqual([3, `readByte(): ${aspect}`, JSON.stringify(r)]);
  });

  test('without messages, errors of one class agree', () => {
    const model = withStep(NETTY, 3, { r: { e: 'IndexOutOfBoundsException', m: 'other text' }, d: {} });
    expect(firstDivergence(SEQ, NETTY, model, { messages: false })).toBeNull();
  });

  test('a runner failure is a divergence of its own kind', () => {
    expect(firstDivergence(SEQ, { seed: 3, steps: [], fatal: 'java runner: boom' }, NETTY)!.kind).toBe('runner: failure');
  });
});

describe('dropOps', () => {
  test('drops the ops that use a dropped op\'s handles, and renumbers the handles left', () => {
    const seq: Sequence = {
      seed: 1,
      ops: [
        { op: 'new byte[]', args: ['01'] },
        { op: 'Unpooled.buffer', args: [4] },
        { op: 'writeBytes', on: 1, args: [{ h: 0 }] },
        { op: 'Unpooled.wrappedBuffer', args: [{ h: 0 }] },
        { op: 'Unpooled.wrappedBuffer', args: [[{ h: 1 }, { h: 2 }]] },
        { op: 'release', on: 2, args: [] },
      ],
    };
    expect(dropOps(seq, new Set([0]))).toEqual({
      seed: 1,
      ops: [{ op: 'Unpooled.buffer', args: [4] }],
    });
    expect(dropOps(seq, new Set([2, 3]))).toEqual({
      seed: 1,
      ops: [
        { op: 'new byte[]', args: ['01'] },
        { op: 'Unpooled.buffer', args: [4] },
      ],
    });
    expect(dropOps(seq, new Set([1]))).toEqual({
      seed: 1,
      ops: [
        { op: 'new byte[]', args: ['01'] },
        { op: 'Unpooled.wrappedBuffer', args: [{ h: 0 }] },
        { op: 'release', on: 1, args: [] },
      ],
    });
  });
});

describe('shrink', () => {
  // A stand-in for Java: a sequence "diverges" when an allocate(7) comes after a directBuffer(3).
  const Y: Op = { op: 'Unpooled.directBuffer', args: [3] };
  const X: Op = { op: 'ByteBuffer.allocate', args: [7] };
  const oracleCalls: number[] = [];
  const oracle: KindOracle = async (candidates) => {
    oracleCalls.push(candidates.length);
    return candidates.map((c) => {
      const y = c.ops.findIndex((o) => JSON.stringify(o) === JSON.stringify(Y));
      const x = c.ops.findIndex((o, i) => i > y && JSON.stringify(o) === JSON.stringify(X));
      return y >= 0 && x > y ? 'ByteBuffer.allocate(int): value' : null;
    });
  };

  test('a long sequence shrinks to exactly the two ops that diverge together, judged in batches', async () => {
    const filler = (n: number): Op[] => Array.from({ length: n }, (_, i) => ({ op: 'Unpooled.buffer', args: [i] }));
    const seq: Sequence = { seed: 8, ops: [...filler(9), X, ...filler(4), Y, ...filler(6), X, ...filler(5)] };
    oracleCalls.length = 0;
    expect(await shrink(seq, 'ByteBuffer.allocate(int): value', oracle)).toEqual({ seed: 8, ops: [Y, X] });
    expect(oracleCalls.length).toBeLessThan(20);
  });

  test('a sequence that is already minimal comes back unchanged', async () => {
    const seq: Sequence = { seed: 2, ops: [Y, X] };
    expect(await shrink(seq, 'ByteBuffer.allocate(int): value', oracle)).toEqual(seq);
  });

  test('a candidate diverging with another kind is not taken', async () => {
    const seq: Sequence = { seed: 2, ops: [Y, { op: 'Unpooled.buffer', args: [1] }, X] };
    const otherKind: KindOracle = async (candidates) => candidates.map((c) => (c.ops.length === 3 ? 'k' : 'other kind'));
    expect(await shrink(seq, 'k', otherKind)).toEqual(seq);
  });
});

describe('acceptedFor', () => {
  const d = { index: 2, label: 'readByte()', aspect: 'value', kind: 'readByte(): value', netty: '{"v":"-1"}', model: '{"v":"255"}' };
  const list: AcceptedDifference[] = [
    { op: 'readByte()', aspect: 'error message', reason: 'not this aspect' },
    { op: /^read/, aspect: 'value', netty: /"-\d+"/, model: /"2\d\d"/, reason: 'signed in Netty' },
  ];

  test('the first entry whose op, aspect and sides all match', () => {
    expect(acceptedFor(d, list)).toBe(list[1]);
  });

  test('no entry matches: null; the shipped list does not hide this one', () => {
    expect(acceptedFor({ ...d, netty: '{"v":"1"}' }, list)).toBeNull();
    expect(acceptedFor(d)).toBeNull();
  });

  test('the shipped read past a shrunk direct root: only readBytes(int) succeeding in Netty where the model gives its range error', () => {
    const past = {
      index: 4,
      label: 'readBytes(int)',
      aspect: 'throws in the model only',
      kind: 'readBytes(int): throws in the model only',
      netty: '{"o":"new"}',
      model: '{"e":"IndexOutOfBoundsException","m":"index: 0, length: 5 (expected: range(0, 3))"}',
    };
    expect(acceptedFor(past)?.reason).toMatch(/^a slice whose direct root was shrunk/);
    expect(acceptedFor({ ...past, label: 'readBytes(ByteBuf)' })).toBeNull();
    expect(acceptedFor({ ...past, model: '{"e":"IllegalReferenceCountException","m":"refCnt: 0"}' })).toBeNull();
    const read = { ...past, label: 'readLong()', kind: 'readLong(): throws in the model only', netty: '{"v":"0"}', model: '{"e":"IndexOutOfBoundsException","m":"index: 8, length: 8 (expected: range(0, 14))"}' };
    expect(acceptedFor(read)?.reason).toMatch(/^a relative read from a slice whose heap or direct root was shrunk/);
    expect(acceptedFor({ ...read, netty: '{"e":"IndexOutOfBoundsException","m":""}' })).toBeNull();
  });
});
