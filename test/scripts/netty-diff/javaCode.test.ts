/** The Java code printer, exactly (no Java needed: the printed program was run once against Netty by hand). */
import { javaCode } from '../../../scripts/netty-diff/javaCode';
import type { Sequence } from '../../../scripts/netty-diff/sequence';

const SEQ: Sequence = {
  seed: 5,
  ops: [
    { op: 'new byte[]', args: ['01ff'] },
    { op: 'Unpooled.wrappedBuffer', args: [{ h: 0 }] },
    { op: 'Unpooled.wrappedBuffer', args: [[{ h: 1 }, { h: 1 }]] },
    { op: 'addComponent', on: 2, args: [true, { h: 1 }] },
    { op: 'readByte', on: 2, args: [] },
    { op: 'writeLong', on: 1, args: ['-5'] },
    { op: 'ByteBuffer.allocate', args: [2] },
    { op: 'put', on: 3, args: [-1] },
    { op: 'nioBuffers', on: 1, args: [] },
  ],
};

describe('javaCode', () => {
  test('one statement per op in its own try/catch, casts where a composite op meets a ByteBuf, the divergence as a comment, every handle shown', () => {
    const divergence = { index: 4, label: 'readByte()', aspect: 'value', kind: 'readByte(): value', netty: '{"v":"1"}', model: '{"v":"2"}' };
    expect(javaCode(SEQ, divergence).split('\n')).toEqual([
      'import io.netty.buffer.*;',
      'import java.nio.ByteBuffer;',
      '',
      '/** netty-diff, seed 5; run as the runner runs Netty: java -cp netty-buffer.jar:netty-common.jar Repro.java */',
      'public class Repro {',
      '    public static void main(String[] args) {',
      '        byte[] h0 = null;',
      '        ByteBuf h1 = null;',
      '        ByteBuf h2 = null;',
      '        ByteBuffer h3 = null;',
      '        try { h0 = new byte[] {1, -1}; } catch (RuntimeException e) { System.out.println("0: " + e); }',
      '        try { h1 = Unpooled.wrappedBuffer(h0); } catch (RuntimeException e) { System.out.println("1: " + e); }',
      '        try { h2 = Unpooled.wrappedBuffer(h1, h1); } catch (RuntimeException e) { System.out.println("2: " + e); }',
      '        try { ((CompositeByteBuf) h2).addComponent(true, h1); } catch (RuntimeException e) { System.out.println("3: " + e); }',
      '        // diverges here (value): Netty {"v":"1"}, the model {"v":"2"}',
      '        try { System.out.println("4: " + h2.readByte()); } catch (RuntimeException e) { System.out.println("4: " + e); }',
      '        try { h1.writeLong(-5L); } catch (RuntimeException e) { System.out.println("5: " + e); }',
      '        try { h3 = ByteBuffer.allocate(2); } catch (RuntimeException e) { System.out.println("6: " + e); }',
      '        try { h3.put((byte) -1); } catch (RuntimeException e) { System.out.println("7: " + e); }',
      '        try { System.out.println("8: " + java.util.Arrays.toString(h1.nioBuffers())); } catch (RuntimeException e) { System.out.println("8: " + e); }',
      '        show("h0", h0);',
      '        show("h1", h1);',
      '        show("h2", h2);',
      '        show("h3", h3);',
      '    }',
      '',
      '    static void show(String name, Object h) {',
      '        if (h instanceof ByteBuf) {',
      '            ByteBuf b = (ByteBuf) h;',
      '            System.out.println(name + ": " + (b.refCnt() == 0 ? "released" : "refCnt " + b.refCnt() + ", " + b + ", maxCapacity " + b.maxCapacity()));',
      '        } else if (h != null) {',
      '            System.out.println(name + ": " + (h instanceof byte[] ? java.util.Arrays.toString((byte[]) h) : h));',
      '        }',
      '    }',
      '}',
      '',
    ]);
  });
});
