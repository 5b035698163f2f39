/** The operation table, the seeded generator and op resolution (no Java needed). */
import { generateSequence, generateSequences } from '../../../scripts/netty-diff/generate';
import { OPS } from '../../../scripts/netty-diff/ops';
import { Mulberry32 } from '../../../scripts/netty-diff/random';
import { resolveSequence, SequenceError } from '../../../scripts/netty-diff/resolve';

describe('Mulberry32', () => {
  test('the same seed gives the same numbers', () => {
    const a = new Mulberry32(7);
    const b = new Mulberry32(7);
    expect([a.nextUint32(), a.nextUint32(), a.nextUint32()]).toEqual([b.nextUint32(), b.nextUint32(), b.nextUint32()]);
    // mulberry32's reference output for seed 1: 0.6270739405881613 of 2^32.
    expect(new Mulberry32(1).nextUint32()).toBe(2693262067);
  });
});

describe('generateSequence', () => {
  test('a fixed seed gives exactly these ops', () => {
    expect(generateSequence(42, 6)).toEqual({
      seed: 42,
      ops: [
        { op: 'Unpooled.directBuffer', args: [43] },
        { op: 'Unpooled.buffer', args: [4] },
        { op: 'writeByte', on: 0, args: [210] },
        { op: 'setShortLE', on: 1, args: [7, 27168] },
      ],
    });
  });

  test('the same seed and count give the same sequences; sequence i is seed + i', () => {
    const first = generateSequences(100, 50, 24);
    expect(generateSequences(100, 50, 24)).toEqual(first);
    expect(first.map((s) => s.seed)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    expect(first[17]).toEqual(generateSequence(117, 24));
    expect(generateSequences(101, 1, 24)[0]).not.toEqual(first[0]);
  });

  test('every generated sequence resolves, stays within maxOps, and 2,000 of them use every overload of the table', () => {
    const used = new Set<string>();
    for (const seq of generateSequences(1, 2000, 24)) {
      expect(seq.ops.length).toBeGreaterThanOrEqual(1);
      expect(seq.ops.length).toBeLessThanOrEqual(24);
      for (const op of resolveSequence(seq).ops) used.add(op.spec.label);
    }
    expect(OPS.filter((s) => !used.has(s.label)).map((s) => s.label)).toEqual([]);
  });
});

describe('the operation table', () => {
  test('labels are unique, one per Java overload', () => {
    const labels = OPS.map((s) => s.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  test('it holds the accessors and overloads issue 11 lists as missing from the model', () => {
    const labels = new Set(OPS.map((s) => s.label));
    const wanted = [
      'readShort()', 'readShortLE()', 'readUnsignedShort()', 'readUnsignedShortLE()', 'readMedium()', 'readMediumLE()',
      'readUnsignedMedium()', 'readUnsignedMediumLE()', 'readInt()', 'readIntLE()', 'readUnsignedInt()', 'readUnsignedIntLE()',
      'readLong()', 'readLongLE()', 'getInt(int)', 'getUnsignedIntLE(int)', 'setInt(int,int)', 'setLongLE(int,long)',
      'writeMedium(int)', 'writeLong(long)', 'readByte()', 'getByte(int)', 'readUnsignedByte()', 'getUnsignedByte(int)',
      'capacity(int)', 'discardReadBytes()', 'ByteBuffer#compact()', 'addComponent(int,ByteBuf)', 'addComponent(boolean,ByteBuf)',
      'Unpooled.wrappedBuffer(byte[],int,int)',
    ];
    expect(wanted.filter((l) => !labels.has(l))).toEqual([]);
  });
});

describe('resolveSequence', () => {
  test('numbers handles in creation order, a created handle even for an op that may throw', () => {
    const r = resolveSequence({
      seed: 1,
      ops: [
        { op: 'Unpooled.buffer', args: [-1] },
        { op: 'release', on: 0, args: [] },
        { op: 'ByteBuffer.allocate', args: [4] },
        { op: 'slice', on: 1, args: [] },
      ],
    });
    expect(r.ops.map((o) => [o.spec.label, o.creates])).toEqual([
      ['Unpooled.buffer(int)', 0],
      ['release()', null],
      ['ByteBuffer.allocate(int)', 1],
      ['ByteBuffer#slice()', 2],
    ]);
    expect(r.handleTypes).toEqual(['buf', 'nio', 'nio']);
  });

  test.each([
    [{ op: 'readFloat', on: 0, args: [] }, "unknown op 'readFloat'"],
    [{ op: 'readByte', on: 3, args: [] }, "op 'readByte': handle #3 is not made before it"],
    [{ op: 'addComponent', on: 0, args: [{ h: 0 }] }, 'op \'addComponent\' on #0: no overload takes [{"h":0}]'],
  ])('%j is a SequenceError: %s', (op, message) => {
    expect(() => resolveSequence({ seed: 1, ops: [{ op: 'Unpooled.buffer', args: [] }, op] })).toThrow(new SequenceError(message));
  });
});
