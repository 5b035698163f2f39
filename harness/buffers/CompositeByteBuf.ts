/**
 * Netty's `CompositeByteBuf`: one logical buffer over several components, without copying.
 * It **owns** its components: `addComponent` takes over the caller's reference (and releases the
 * component if adding fails), and freeing the composite releases each component exactly once.
 * Past `maxNumComponents` (default 16) it consolidates: copies everything into one new buffer from
 * its allocator and releases the old components.
 * @packageDocumentation
 */
import { IllegalArgumentException, IndexOutOfBoundsException } from '../errors';
import { AbstractReferenceCountedByteBuf, trackerOf } from './AbstractReferenceCountedByteBuf';
import { ByteBuf, MAX_CAPACITY } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer, describeValue } from './ByteBuffer';
import type { StackCut } from '../tracking/stack';

/** Netty's default `maxNumComponents`. */
export const DEFAULT_MAX_COMPONENTS = 16;

interface Component {
  /** The buffer as added; the composite holds one reference to it. */
  readonly buf: ByteBuf;
  /** Index in `buf` where this component's bytes start (its reader index when added). */
  readonly srcOffset: number;
  readonly length: number;
  /** Index in the composite where this component starts. */
  offset: number;
}

export class CompositeByteBuf extends AbstractReferenceCountedByteBuf {
  private readonly allocator: ByteBufAllocator;
  private readonly direct: boolean;
  private readonly maxComponents: number;
  private components: Component[] = [];

  /** @internal Use `Unpooled.compositeBuffer()` or an allocator's `compositeBuffer()`. */
  constructor(allocator: ByteBufAllocator, direct: boolean, maxNumComponents = DEFAULT_MAX_COMPONENTS) {
    super();
    if (!Number.isInteger(maxNumComponents) || maxNumComponents < 1) {
      throw new IllegalArgumentException(`maxNumComponents: ${String(maxNumComponents)} (expected: >= 1)`);
    }
    this.allocator = allocator;
    this.direct = direct;
    this.maxComponents = maxNumComponents;
  }

  override capacity(): number {
    const last = this.components[this.components.length - 1];
    return last === undefined ? 0 : last.offset + last.length;
  }
  override maxCapacity(): number {
    return MAX_CAPACITY;
  }
  override isDirect(): boolean {
    return this.direct;
  }
  override isReadOnly(): boolean {
    return false;
  }
  override alloc(): ByteBufAllocator {
    return this.allocator;
  }

  /** Components currently held. */
  numComponents(): number {
    return this.components.length;
  }

  /** The component count past which the composite consolidates. */
  maxNumComponents(): number {
    return this.maxComponents;
  }

  /** A view (sharing its count) of component `index`'s bytes. */
  component(index: number): ByteBuf {
    const c = this.componentAt(index);
    return c.buf.slice(c.srcOffset, c.length);
  }

  /**
   * Appends `buffer`'s readable bytes as a new component, taking over the caller's reference;
   * with `increaseWriterIndex` the composite's writer index grows by those bytes. If adding fails,
   * the buffer is released (ownership was transferred).
   */
  addComponent(increaseWriterIndex: boolean, buffer: ByteBuf): this;
  addComponent(buffer: ByteBuf): this;
  addComponent(a: boolean | ByteBuf, b?: ByteBuf): this {
    const increase = typeof a === 'boolean' ? a : false;
    const buffer = typeof a === 'boolean' ? b : a;
    this.addOne(increase, buffer, CompositeByteBuf.prototype.addComponent);
    this.consolidateIfNeeded();
    return this;
  }

  /** Adds several components in order (each as `addComponent`). */
  addComponents(increaseWriterIndex: boolean, ...buffers: ByteBuf[]): this {
    let i = 0;
    try {
      for (; i < buffers.length; i++) this.addOne(increaseWriterIndex, buffers[i], CompositeByteBuf.prototype.addComponents);
    } catch (error) {
      // Ownership of every buffer passed to us (Netty's addComponents0): the failing one was
      // released by addOne, the ones not reached are released here.
      for (const rest of buffers.slice(i + 1)) {
        if (rest instanceof ByteBuf && rest.refCnt() > 0) {
          try {
            rest.release();
          } catch {
            // Already reporting the first failure.
          }
        }
      }
      throw error;
    }
    this.consolidateIfNeeded();
    return this;
  }

  /** Removes component `index` and releases it. */
  removeComponent(index: number): this {
    this.ensureAccessible();
    const c = this.componentAt(index);
    this.components.splice(index, 1);
    this.updateOffsets();
    const cap = this.capacity();
    if (this.wIdx > cap) this.wIdx = cap;
    if (this.rIdx > this.wIdx) this.rIdx = this.wIdx;
    this.letGo(c);
    return this;
  }

  /** Copies all components into one new buffer and releases the old ones. */
  consolidate(): this {
    this.ensureAccessible();
    if (this.components.length <= 1) return this;
    const capacity = this.capacity();
    const merged = this.direct ? this.allocator.directBuffer(capacity) : this.allocator.heapBuffer(capacity);
    const bytes = new Uint8Array(capacity);
    this._getBytes(0, bytes, 0, capacity);
    merged.writeBytes(bytes);
    const old = this.components;
    this.components = [];
    this.addOne(false, merged, CompositeByteBuf.prototype.consolidate);
    for (const c of old) this.letGo(c);
    return this;
  }

  override nioBufferCount(): number {
    const cs = this.components;
    if (cs.length === 0) return 1;
    if (cs.length === 1) return cs[0]!.buf.nioBufferCount();
    let n = 0;
    for (const c of cs) n += c.buf.nioBufferCount();
    return n;
  }

  override nioBuffers(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer[] {
    this.checkIndex(index, length);
    if (length === 0) return [ByteBuffer.empty()];
    const out: ByteBuffer[] = [];
    this.forEachPart(index, length, (c, at, len) => {
      out.push(...c.buf.nioBuffers(c.srcOffset + at, len));
    });
    return out;
  }

  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    this.checkIndex(index, length);
    if (this.components.length === 1) {
      const c = this.components[0]!;
      if (c.buf.nioBufferCount() === 1) return c.buf.nioBuffer(c.srcOffset + index, length);
    }
    // Several NIO buffers: Netty merges them into a new heap ByteBuffer (a copy).
    const merged = ByteBuffer.allocate(length);
    const tmp = new Uint8Array(length);
    this._getBytes(index, tmp, 0, length);
    merged.put(tmp).flip();
    return merged;
  }

  override _getByte(index: number): number {
    const c = this.findComponent(index);
    return c.buf.getByte(c.srcOffset + index - c.offset);
  }
  override _setByte(index: number, value: number): void {
    const c = this.findComponent(index);
    c.buf.setByte(c.srcOffset + index - c.offset, value);
  }
  override _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    let d = dstIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.getBytes(c.srcOffset + at, dst, d, len);
      d += len;
    });
  }
  override _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    let s = srcIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.setBytes(c.srcOffset + at, src, s, len);
      s += len;
    });
  }
  protected override adjustCapacity(newCapacity: number): void {
    // Netty grows a composite by appending a new component from its allocator.
    const extra = newCapacity - this.capacity();
    const pad = this.direct ? this.allocator.directBuffer(extra, extra) : this.allocator.heapBuffer(extra, extra);
    pad.writerIndex(extra);
    this.addOne(false, pad, CompositeByteBuf.prototype.adjustCapacity);
    this.consolidateIfNeeded();
  }
  protected override deallocate(): void {
    const cs = this.components;
    this.components = [];
    for (const c of cs) this.letGo(c);
  }

  /** `cut`: the method the caller called, where the component's record is cut (see `StackCut`). */
  private addOne(increaseWriterIndex: boolean, buffer: ByteBuf | undefined, cut: StackCut): void {
    if (!(buffer instanceof ByteBuf)) {
      throw new IllegalArgumentException(`buffer: expected a ByteBuf, got ${describeValue(buffer)}`);
    }
    let added = false;
    try {
      this.ensureAccessible();
      buffer.ensureAccessible();
      const length = buffer.readableBytes();
      const c: Component = { buf: buffer, srcOffset: buffer.readerIndex(), length, offset: this.capacity() };
      this.components.push(c);
      added = true;
      const t = trackerOf(buffer);
      if (t !== null) {
        t.heldBy = this.leak;
        t.record('add-to-composite', t.refCnt, this.leak !== null ? `composite #${this.leak.id}` : 'composite', cut);
      }
      if (increaseWriterIndex) this.wIdx += length;
    } finally {
      if (!added && buffer.refCnt() > 0) buffer.release();
    }
  }

  private consolidateIfNeeded(): void {
    if (this.components.length > this.maxComponents) this.consolidate();
  }

  /** Gives back the composite's reference to a component. */
  private letGo(c: Component): void {
    const t = trackerOf(c.buf);
    if (t !== null && t.heldBy === this.leak) t.heldBy = null;
    c.buf.release();
  }

  private updateOffsets(): void {
    let offset = 0;
    for (const c of this.components) {
      c.offset = offset;
      offset += c.length;
    }
  }

  private componentAt(index: number): Component {
    const c = this.components[index];
    if (c === undefined) {
      throw new IndexOutOfBoundsException(`componentIndex: ${index} (expected: >= 0 && < numComponents(${this.components.length}))`);
    }
    return c;
  }

  private findComponent(index: number): Component {
    for (const c of this.components) {
      if (index < c.offset + c.length) return c;
    }
    throw new IndexOutOfBoundsException(`index: ${index} (expected: range(0, ${this.capacity()}))`);
  }

  /** Calls `fn` for each component part of `[index, index + length)`, in order. */
  private forEachPart(index: number, length: number, fn: (c: Component, at: number, len: number) => void): void {
    let i = index;
    let remaining = length;
    for (const c of this.components) {
      if (remaining === 0) break;
      const end = c.offset + c.length;
      if (i >= end || c.length === 0) continue;
      const at = i - c.offset;
      const len = Math.min(remaining, c.length - at);
      fn(c, at, len);
      i += len;
      remaining -= len;
    }
  }
}
