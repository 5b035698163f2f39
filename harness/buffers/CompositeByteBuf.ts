/**
 * Netty's `CompositeByteBuf`: one logical buffer over several components, without copying.
 * It **owns** its components: `addComponent` takes over the caller's reference (and releases the
 * component if adding it fails), and freeing the composite releases each component once, in
 * order. Past `maxNumComponents` (default 16) it consolidates: copies everything into one new
 * buffer from its allocator, releasing the old components one by one as they are copied.
 *
 * The failure paths are Netty 4.1.48's, because they decide who still holds a reference:
 * - `addComponents` on a freed composite, or at a bad index, throws before taking anything: the
 *   buffers passed stay the caller's (they leak unless the caller releases them);
 * - `addComponents` failing on one buffer keeps those added before it, and releases it and the rest;
 *   appending the composite itself (or a view whose capacity is its) fails so, with Netty's
 *   `NullPointerException` (it reads the capacity while the new slots are empty);
 * - a range read or write (`getBytes`, `setBytes`, `nioBuffers`, `copy`, `readBytes`) visits every
 *   component it crosses, empty ones included, so a freed empty component in the middle fails it;
 * - `consolidate` frees each component after copying it, so a freed component half-way leaves the
 *   ones before it freed but still listed, and the new buffer unreleased;
 * - `removeComponent` releases first: a freed component throws and stays.
 * @packageDocumentation
 */
import { ArrayIndexOutOfBoundsException, IllegalArgumentException, IndexOutOfBoundsException, NullPointerException } from '../errors';
import { AbstractReferenceCountedByteBuf, trackerOf } from './AbstractReferenceCountedByteBuf';
import { ByteBuf, MAX_CAPACITY } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { ByteBuffer, describeValue } from './ByteBuffer';
import { ReadOnlyByteBuf, UnpooledDuplicatedByteBuf, UnpooledSlicedByteBuf } from './DerivedByteBuf';
import { EMPTY_BYTE_BUFFER } from './EmptyByteBuf';
import type { StackCut } from '../tracking/stack';

/** Netty's default `maxNumComponents`. */
export const DEFAULT_MAX_COMPONENTS = 16;

interface Component {
  /** The buffer as added; the composite holds one reference to it, and `component(i)` duplicates it. */
  readonly srcBuf: ByteBuf;
  /** Where reads and writes go: the added buffer, or the root of an added slice or duplicate. */
  readonly buf: ByteBuf;
  /** Index in `buf` of this component's first byte. */
  adjustment: number;
  length: number;
  /** Index in the composite where this component starts. */
  offset: number;
}

/** Netty's `newComponent`: the readable bytes of `buf`, reached through the root of a slice or duplicate. */
function newComponent(buf: ByteBuf): Component {
  const srcIndex = buf.readerIndex();
  const length = buf.readableBytes();
  if (buf instanceof UnpooledSlicedByteBuf) return { srcBuf: buf, buf: buf.root, adjustment: buf.adjustment + srcIndex, length, offset: 0 };
  if (buf instanceof UnpooledDuplicatedByteBuf) return { srcBuf: buf, buf: buf.root, adjustment: srcIndex, length, offset: 0 };
  return { srcBuf: buf, buf, adjustment: srcIndex, length, offset: 0 };
}

/** True when `buf.capacity()` is `composite`'s: the composite itself, or a duplicate or read-only view of it. */
function capacityIsOf(buf: ByteBuf, composite: CompositeByteBuf): boolean {
  for (let b: ByteBuf | null = buf; b !== null; ) {
    if (b === composite) return true;
    if (!(b instanceof UnpooledDuplicatedByteBuf) && !(b instanceof ReadOnlyByteBuf)) return false;
    b = b.unwrap();
  }
  return false;
}

/** Releases a buffer whose ownership we hold, ignoring a failure (Netty's `safeRelease`). */
function safeRelease(buf: unknown): void {
  if (!(buf instanceof ByteBuf)) return;
  try {
    buf.release();
  } catch {
    // Netty logs and goes on; the misuse is in the ledger.
  }
}

export class CompositeByteBuf extends AbstractReferenceCountedByteBuf {
  private readonly allocator: ByteBufAllocator;
  private readonly direct: boolean;
  private readonly maxComponents: number;
  private components: Component[] = [];
  /**
   * The length of Netty's internal `components` array, which only grows: where an index equal to
   * `numComponents()` reads past it (`ArrayIndexOutOfBoundsException`) or an empty slot (`NullPointerException`).
   */
  private slots: number;

  /**
   * @internal Use `Unpooled.compositeBuffer()` or an allocator's `compositeBuffer()`. `direct`
   * only chooses the memory of the buffers it allocates (growth, consolidation, copies).
   */
  constructor(allocator: ByteBufAllocator, direct: boolean, maxNumComponents = DEFAULT_MAX_COMPONENTS) {
    super();
    this.initCount();
    if (!Number.isInteger(maxNumComponents) || maxNumComponents < 1) {
      throw new IllegalArgumentException(`maxNumComponents: ${String(maxNumComponents)} (expected: >= 1)`);
    }
    this.allocator = allocator;
    this.direct = direct;
    this.maxComponents = maxNumComponents;
    this.slots = Math.min(DEFAULT_MAX_COMPONENTS, maxNumComponents);
  }

  protected override currentCapacity(): number {
    const last = this.components[this.components.length - 1];
    return last === undefined ? 0 : last.offset + last.length;
  }
  override maxCapacity(): number {
    return MAX_CAPACITY;
  }
  /** True when it has components and every one is direct (Netty's rule). */
  override isDirect(): boolean {
    return this.components.length > 0 && this.components.every((c) => c.buf.isDirect());
  }
  override isReadOnly(): boolean {
    return false;
  }
  override alloc(): ByteBufAllocator {
    return this.allocator;
  }
  protected override nettyClassName(): string {
    return 'CompositeByteBuf';
  }
  override _emptyCopySkipsDst(): boolean {
    return true;
  }
  /** Netty's: with no components `EMPTY_BUFFER`'s address, with one that component's. */
  override _hasMemoryAddress(): boolean {
    const cs = this.components;
    return cs.length === 0 || (cs.length === 1 && cs[0]!.buf._hasMemoryAddress());
  }
  /**
   * `removeComponent` keeps the indices, so the writer index can pass the capacity. A relative read
   * of a byte there makes Netty's binary search over the components read slot `numComponents()`:
   * past a full array, or an empty slot.
   */
  override _checkRelativeRead(index: number, width: number): void {
    if (index + width <= this.capacity()) return;
    const n = this.components.length;
    if (n >= this.slots) throw new ArrayIndexOutOfBoundsException(n, this.slots);
    throw new NullPointerException('Cannot read field "endOffset" because "c" is null');
  }
  /** With no components `EMPTY_BUFFER`'s address (no check), with one that component's address or array. */
  override _giveAddressOrArray(): void {
    const cs = this.components;
    if (cs.length === 0) return;
    if (cs.length === 1) cs[0]!.buf._giveAddressOrArray();
    else this.ensureAccessible();
  }
  /** A copy of nothing to `EMPTY_BUFFER`'s address (no components) looks at nothing, freed or not. */
  override _receiveBytes(index: number, bytes: Uint8Array): void {
    if (this.components.length === 0 && bytes.length === 0) return;
    super._receiveBytes(index, bytes);
  }
  /** Netty's text with the component count: `CompositeByteBuf(ridx: 0, widx: 3, cap: 3, components=2)`. */
  override toString(): string {
    return `${super.toString().slice(0, -1)}, components=${this.components.length})`;
  }

  /** Components currently held. */
  numComponents(): number {
    return this.components.length;
  }

  /** The component count past which the composite consolidates. */
  maxNumComponents(): number {
    return this.maxComponents;
  }

  /** A duplicate of the buffer added as component `index` (its current indices; shares its count). */
  component(index: number): ByteBuf {
    return this.componentAt(index, 'duplicate()', '"this.components[cIndex]"').srcBuf.duplicate();
  }

  /**
   * Inserts `buffer`'s readable bytes as a component (at the end, or at `index`), taking over the
   * caller's reference; with `increaseWriterIndex` the writer index grows by those bytes. If
   * adding fails the buffer is released (ownership was transferred): a buffer freed already then
   * fails with `refCnt: 0, decrement: 1`, as in Netty.
   */
  addComponent(buffer: ByteBuf): this;
  addComponent(index: number, buffer: ByteBuf): this;
  addComponent(increaseWriterIndex: boolean, buffer: ByteBuf): this;
  addComponent(increaseWriterIndex: boolean, index: number, buffer: ByteBuf): this;
  addComponent(a: boolean | number | ByteBuf, b?: number | ByteBuf, c?: ByteBuf): this {
    const increase = typeof a === 'boolean' ? a : false;
    let index = this.components.length;
    let buffer: unknown = a;
    if (typeof a === 'boolean') {
      if (c !== undefined) [index, buffer] = [b as number, c];
      else buffer = b;
    } else if (typeof a === 'number' && b !== undefined) {
      [index, buffer] = [a, b];
    }
    this.addComponent0(increase, index, buffer as ByteBuf | undefined, CompositeByteBuf.prototype.addComponent);
    this.consolidateIfNeeded();
    return this;
  }

  /**
   * Adds several components in order (at the end, or from `index`), each as `addComponent`. A
   * freed composite or a bad index throws before any buffer is taken (they stay the caller's);
   * a buffer that fails is released with those after it, the ones before it stay added.
   */
  addComponents(...buffers: ByteBuf[]): this;
  addComponents(increaseWriterIndex: boolean, ...buffers: ByteBuf[]): this;
  addComponents(index: number, ...buffers: ByteBuf[]): this;
  addComponents(first: boolean | number | ByteBuf, ...rest: ByteBuf[]): this {
    const increase = typeof first === 'boolean' ? first : false;
    const index = typeof first === 'number' ? first : this.components.length;
    const buffers = typeof first === 'boolean' || typeof first === 'number' ? rest : [first, ...rest];
    this.addComponents0(increase, index, buffers, CompositeByteBuf.prototype.addComponents);
    this.consolidateIfNeeded();
    return this;
  }

  /**
   * @internal What `Unpooled.wrappedBuffer(a, b, ...)` does with its composite: add the buffers
   * (a failure leaves the composite holding those added before it), then make them all readable.
   */
  initComponents(buffers: ByteBuf[], cut: StackCut): this {
    // Netty's constructor sizes the array for the buffers it is given.
    this.slots = Math.max(this.slots, buffers.length);
    this.addComponents0(false, 0, buffers, cut);
    this.consolidateIfNeeded();
    return this.setIndex(0, this.capacity());
  }

  /** Removes component `index` after releasing it (a freed component throws and stays). Indices are kept. */
  removeComponent(index: number): this {
    const c = this.componentAt(index, 'free()', '"comp"');
    this.letGo(c);
    this.components.splice(index, 1);
    this.updateOffsets();
    return this;
  }

  /** Copies all components into one new buffer, releasing each old one once copied. */
  consolidate(): this {
    this.ensureAccessible();
    this.consolidate0();
    return this;
  }

  /** Frees the components that were read entirely and cuts the read part of the next one. */
  override discardReadBytes(): this {
    this.ensureAccessible();
    const r = this.rIdx;
    if (r === 0) return this;
    const w = this.wIdx;
    if (r === w && w === this.capacity()) {
      const all = this.components;
      for (const c of all) this.letGo(c);
      this.components = [];
      this.setIndex(0, 0);
      return this;
    }
    let first = 0;
    for (; first < this.components.length; first++) {
      const c = this.components[first]!;
      if (c.offset + c.length > r) break;
      this.letGo(c);
    }
    const kept = this.components[first]!;
    const trimmed = r - kept.offset;
    kept.adjustment += trimmed;
    kept.length -= trimmed;
    this.components.splice(0, first);
    this.updateOffsets();
    this.setIndex(0, w - r);
    return this;
  }

  /** A new buffer from the allocator (direct if this composite was made direct) with a copy of the range. */
  override copy(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuf {
    this.checkIndex(index, length);
    const out = this.allocBuffer(length);
    const tmp = new Uint8Array(length);
    this._getBytes(index, tmp, 0, length);
    return out.writeBytes(tmp);
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
    if (length === 0) return [EMPTY_BYTE_BUFFER];
    const out: ByteBuffer[] = [];
    this.forEachPart(index, length, (c, at, len) => {
      // Netty asks each part how many it has first (a composite holding itself recurses here).
      if (c.buf.nioBufferCount() === 1) out.push(c.buf.nioBuffer(c.adjustment + at, len));
      else out.push(...c.buf.nioBuffers(c.adjustment + at, len));
    });
    return out;
  }

  override nioBuffer(index = this.rIdx, length = this.wIdx - this.rIdx): ByteBuffer {
    this.checkIndex(index, length);
    // Netty's shared EMPTY_NIO_BUFFER (EMPTY_BUFFER's): the same object from every empty composite.
    if (this.components.length === 0) return EMPTY_BYTE_BUFFER;
    if (this.components.length === 1) {
      const c = this.components[0]!;
      if (c.buf.nioBufferCount() === 1) return c.buf.nioBuffer(c.adjustment + index, length);
    }
    // One NIO buffer for the range is returned as it is (shared memory); several are merged
    // into a new heap ByteBuffer (a copy), as Netty does.
    const buffers = this.nioBuffers(index, length);
    if (buffers.length === 1) return buffers[0]!;
    const merged = ByteBuffer.allocate(length);
    for (const b of buffers) merged.put(b);
    return merged.flip();
  }

  override _getByte(index: number): number {
    const c = this.findComponent(index);
    return c.buf.getUnsignedByte(c.adjustment + index - c.offset);
  }
  override _setByte(index: number, value: number): void {
    const c = this.findComponent(index);
    c.buf.setByte(c.adjustment + index - c.offset, value);
  }
  override _getBytes(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    let d = dstIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.getBytes(c.adjustment + at, dst, d, len);
      d += len;
    });
  }
  /**
   * Into a `ByteBuffer`, Netty copies component by component straight into `dst` (its limit set
   * to each part), so a `ByteBuffer` sharing memory with a later component sees the earlier parts.
   */
  override getBytes(index: number, dst: Uint8Array | ByteBuffer, dstIndex = 0, length?: number): this {
    if (!(dst instanceof ByteBuffer)) return super.getBytes(index, dst, dstIndex, length);
    const n = dst.remaining();
    this.checkIndex(index, n);
    if (n === 0) return this;
    const limit = dst.limit();
    try {
      this.forEachPart(index, n, (c, at, len) => {
        dst.limit(dst.position() + len);
        c.buf.getBytes(c.adjustment + at, dst);
      });
    } finally {
      dst.limit(limit);
    }
    return this;
  }
  override _setBytes(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    let s = srcIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.setBytes(c.adjustment + at, src, s, len);
      s += len;
    });
  }

  /**
   * Netty's `capacity(int)`: growing appends a padding component from the allocator (and may
   * consolidate); shrinking releases the components past the new end and cuts the last kept one.
   */
  protected override adjustCapacity(newCapacity: number): void {
    const old = this.capacity();
    if (newCapacity > old) {
      const extra = newCapacity - old;
      const pad = this.allocBuffer(extra).setIndex(0, extra);
      this.addComponent0(false, this.components.length, pad, CompositeByteBuf.prototype.adjustCapacity);
      if (this.components.length >= this.maxComponents) this.consolidateIfNeeded();
      return;
    }
    let i = this.components.length - 1;
    for (let toTrim = old - newCapacity; i >= 0; i--) {
      const c = this.components[i]!;
      if (toTrim < c.length) {
        c.length -= toTrim;
        break;
      }
      this.letGo(c);
      toTrim -= c.length;
    }
    this.components.splice(i + 1);
    if (this.rIdx > newCapacity) this.rIdx = this.wIdx = newCapacity;
    else if (this.wIdx > newCapacity) this.wIdx = newCapacity;
  }

  /** Releases each component in order; a failure (a component freed elsewhere) stops there, as in Netty. */
  protected override deallocate(): void {
    for (const c of this.components) this.letGo(c);
  }

  /** A buffer for growth, consolidation and copies: direct or heap as this composite was made. */
  private allocBuffer(capacity: number): ByteBuf {
    return this.direct ? this.allocator.directBuffer(capacity) : this.allocator.heapBuffer(capacity);
  }

  /** Netty's `checkComponentIndex` for an insertion: liveness, then `0 <= index <= numComponents`. */
  private checkComponentIndex(index: number): void {
    this.ensureAccessible();
    if (!Number.isInteger(index) || index < 0 || index > this.components.length) {
      throw new IndexOutOfBoundsException(`cIndex: ${index} (expected: >= 0 && <= numComponents(${this.components.length}))`);
    }
  }

  /**
   * The component at `index` after `checkComponentIndex`, which lets `numComponents` through:
   * there Netty dereferences an empty slot (`NullPointerException`, the JDK's text naming `call`).
   */
  private componentAt(index: number, call: string, what: string): Component {
    this.checkComponentIndex(index);
    const c = this.components[index];
    if (c === undefined) {
      if (index >= this.slots) throw new ArrayIndexOutOfBoundsException(index, this.slots);
      throw new NullPointerException(`Cannot invoke "io.netty.buffer.CompositeByteBuf$Component.${call}" because ${what} is null`);
    }
    return c;
  }

  /** `cut`: the method the caller called, where the component's record is cut (see `StackCut`). */
  private addComponent0(increaseWriterIndex: boolean, index: number, buffer: ByteBuf | undefined, cut: StackCut): void {
    if (!(buffer instanceof ByteBuf)) {
      throw new IllegalArgumentException(`buffer: expected a ByteBuf, got ${describeValue(buffer)}`);
    }
    let added = false;
    try {
      this.checkComponentIndex(index);
      buffer.ensureAccessible();
      this.makeRoom(1);
      const c = this.insert(index, buffer, cut);
      added = true;
      if (increaseWriterIndex) this.wIdx += c.length;
    } finally {
      // Netty releases unconditionally here: a freed buffer's over-release replaces the first error.
      if (!added) buffer.release();
    }
  }

  private addComponents0(increaseWriterIndex: boolean, index: number, buffers: unknown[], cut: StackCut): void {
    this.checkComponentIndex(index);
    const appending = index === this.components.length;
    this.makeRoom(buffers.length);
    let k = 0;
    let added = 0;
    try {
      for (; k < buffers.length; k++) {
        const b = buffers[k];
        if (!(b instanceof ByteBuf)) {
          throw new IllegalArgumentException(`buffers[${k}]: expected a ByteBuf, got ${describeValue(b)}`);
        }
        b.ensureAccessible();
        // Netty makes room for all the buffers first, then reads each one's capacity: appended, a
        // buffer whose capacity is this composite's reads the last slot, still empty.
        if (appending && capacityIsOf(b, this)) {
          throw new NullPointerException('Cannot read field "endOffset" because "this.components[...]" is null');
        }
        added += this.insert(index + k, b, cut).length;
      }
    } catch (error) {
      for (let j = k; j < buffers.length; j++) safeRelease(buffers[j]);
      throw error;
    } finally {
      if (increaseWriterIndex) this.wIdx += added;
    }
  }

  /** Netty's `shiftComps` growth of its array for `count` more components: by half, or to fit. */
  private makeRoom(count: number): void {
    const size = this.components.length;
    if (size + count > this.slots) this.slots = Math.max(size + (size >> 1), size + count);
  }

  /** Inserts `buffer` as component `index` and records that the composite holds it. */
  private insert(index: number, buffer: ByteBuf, cut: StackCut): Component {
    const c = newComponent(buffer);
    this.components.splice(index, 0, c);
    this.updateOffsets();
    const t = trackerOf(buffer);
    if (t !== null) {
      t.heldBy = this.leak;
      t.record('add-to-composite', t.refCnt, this.leak !== null ? `composite #${this.leak.id}` : 'composite', cut);
    }
    return c;
  }

  private consolidateIfNeeded(): void {
    if (this.components.length > this.maxComponents) this.consolidate0();
  }

  /** Netty's `consolidate0`: copy and free each component in turn, then hold the new buffer alone. */
  private consolidate0(): void {
    if (this.components.length <= 1) return;
    const merged = this.allocBuffer(this.capacity());
    for (const c of this.components) {
      merged.writeBytesFrom(c.buf, c.adjustment, c.length);
      this.letGo(c);
    }
    this.components = [];
    this.insert(0, merged, CompositeByteBuf.prototype.consolidate);
  }

  /** Gives back the composite's reference to a component. */
  private letGo(c: Component): void {
    const t = trackerOf(c.srcBuf);
    if (t !== null && t.heldBy === this.leak) t.heldBy = null;
    c.srcBuf.release();
  }

  private updateOffsets(): void {
    let offset = 0;
    for (const c of this.components) {
      c.offset = offset;
      offset += c.length;
    }
  }

  /** The component holding byte `index` (empty components hold none, so they are skipped). */
  private findComponent(index: number): Component {
    for (const c of this.components) {
      if (index < c.offset + c.length) return c;
    }
    throw new IndexOutOfBoundsException(`index: ${index}, length: 1 (expected: range(0, ${this.capacity()}))`);
  }

  /**
   * Calls `fn` for each component part of `[index, index + length)`, in order: from the component
   * holding `index`, then every following one until the range is done, empty ones included.
   */
  private forEachPart(index: number, length: number, fn: (c: Component, at: number, len: number) => void): void {
    if (length === 0) return;
    let i = index;
    let remaining = length;
    let k = this.components.findIndex((c) => c.offset + c.length > index);
    while (remaining > 0 && k >= 0 && k < this.components.length) {
      const c = this.components[k]!;
      const len = Math.min(remaining, c.offset + c.length - i);
      fn(c, i - c.offset, len);
      i += len;
      remaining -= len;
      k++;
    }
  }
}
