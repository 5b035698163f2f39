/**
 * Steps on buffers the scenario owns: allocate, wrap, derive, retain, release, read, forget.
 * @packageDocumentation
 */
import { ByteBuf, ByteBufAllocator, ByteBuffer, EMPTY_BUFFER, Unpooled } from '../../../harness';
import type { AllocateStep, ContentSpec, DeriveStep, ForgetStep, ReadStep, ReleaseStep, RetainStep, WrapStep } from '../data';
import { StepError, type ReplayContext } from '../context';

/** The bytes a content spec stands for: `bytes`, `size` × `fill`, or `size` bytes of a pattern distinct per allocation. */
export function contentBytes(spec: ContentSpec, allocation: number): Uint8Array {
  if (spec.bytes !== undefined) return Uint8Array.from(spec.bytes);
  const size = spec.size ?? 0;
  const out = new Uint8Array(size);
  if (spec.fill !== undefined) return out.fill(spec.fill);
  // Distinct per allocation, so data that arrives reordered or from the wrong buffer is caught.
  for (let i = 0; i < size; i++) out[i] = (allocation * 37 + i) & 0xff;
  return out;
}

/** A new ByteBuf holding `bytes` (writer index at the end). */
function newByteBuf(bytes: Uint8Array, memory: ContentSpec['memory']): ByteBuf {
  const buf = memory === 'direct' ? Unpooled.directBuffer(bytes.length, bytes.length) : Unpooled.buffer(bytes.length, bytes.length);
  return buf.writeBytes(bytes);
}

export function allocate(ctx: ReplayContext, step: AllocateStep): void {
  switch (step.type) {
    case 'ByteBuffer': {
      const bytes = contentBytes(step, ++ctx.allocations);
      const bb = step.memory === 'direct' ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
      bb.put(bytes).flip();
      ctx.define(step.as, 'ByteBuffer', bb);
      return;
    }
    case 'ByteBuf':
      ctx.define(step.as, 'ByteBuf', newByteBuf(contentBytes(step, ++ctx.allocations), step.memory));
      return;
    case 'CompositeByteBuf': {
      const alloc = ByteBufAllocator.DEFAULT;
      const composite = step.memory === 'direct' ? alloc.compositeDirectBuffer() : alloc.compositeHeapBuffer();
      for (const part of step.parts ?? []) composite.addComponent(true, newByteBuf(contentBytes(part, ++ctx.allocations), part.memory));
      ctx.define(step.as, 'ByteBuf', composite);
      return;
    }
    case 'EMPTY_BUFFER':
      ctx.define(step.as, 'ByteBuf', EMPTY_BUFFER);
      return;
  }
}

export function wrap(ctx: ReplayContext, step: WrapStep): void {
  const source = ctx.get(step.source) as ByteBuffer | ByteBuf;
  ctx.define(step.as, 'ByteBuf', Unpooled.wrappedBuffer(source));
}

export function derive(ctx: ReplayContext, step: DeriveStep): void {
  const buf = ctx.byteBuf(step.of);
  let view: ByteBuf;
  switch (step.how) {
    case 'slice':
      view = buf.slice();
      break;
    case 'duplicate':
      view = buf.duplicate();
      break;
    case 'asReadOnly':
      view = buf.asReadOnly();
      break;
    case 'retainedSlice':
      view = buf.retainedSlice();
      break;
    case 'retainedDuplicate':
      view = buf.retainedDuplicate();
      break;
    case 'readSlice':
      view = buf.readSlice(step.length ?? 0);
      break;
    case 'readRetainedSlice':
      view = buf.readRetainedSlice(step.length ?? 0);
      break;
  }
  ctx.define(step.as, 'ByteBuf', view);
}

export function retain(ctx: ReplayContext, step: RetainStep): void {
  ctx.byteBuf(step.of).retain(step.count ?? 1);
}

export function release(ctx: ReplayContext, step: ReleaseStep): void {
  ctx.byteBuf(step.of).release(step.count ?? 1);
}

export function read(ctx: ReplayContext, step: ReadStep): void {
  const from = ctx.get(step.from);
  let out: Uint8Array;
  if (from instanceof ByteBuffer) {
    out = new Uint8Array(step.length ?? from.remaining());
    from.get(out);
  } else if (from instanceof ByteBuf) {
    out = new Uint8Array(step.length ?? from.readableBytes());
    from.readBytes(out);
  } else {
    throw new StepError(`variable "${step.from}" is neither a ByteBuffer nor a ByteBuf`);
  }
  if (step.as !== undefined) ctx.define(step.as, 'bytes', out);
}

export function forget(ctx: ReplayContext, step: ForgetStep): void {
  ctx.forget(step.of);
}
