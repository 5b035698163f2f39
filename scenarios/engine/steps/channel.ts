/**
 * Steps on the channel: write, check-out, resolve, close (BBAWC), consume and its stream (RAWC).
 * @packageDocumentation
 */
import type { Readable } from 'node:stream';
import { ByteBuf, ByteBuffer } from '../../../harness';
import type { WriteCallback } from '../../../channel';
import { engineImmediate } from '../turns';
import type {
  CloseStep,
  ConsumeStep,
  DestroyStreamStep,
  GetNextByteBufStep,
  GetNextChunkStep,
  ReadStreamStep,
  ResolveOldestChunkStep,
  WriteStep,
} from '../data';
import { StepError, type ReplayContext, type WriteRecord } from '../context';

export function write(ctx: ReplayContext, step: WriteStep): void {
  const channel = ctx.requireChannel();
  const source = ctx.get(step.source) as ByteBuffer | ByteBuf;
  const mode = step.callback ?? 'record';
  const calls: WriteRecord['calls'] = [];
  const callbackErrors: unknown[] = [];
  const callback: WriteCallback | undefined = mode === 'none' ? undefined : (bytes, error) => {
    calls.push({ bytes, error });
    if (mode !== 'releaseSource') return;
    // The caller's usual clean-up. Its error (e.g. an over-release after the legacy channel
    // released the buffer too) is recorded, not thrown into the channel: the scope counts it.
    try {
      (source as ByteBuf).release();
    } catch (e) {
      callbackErrors.push(e);
    }
  };
  const future = channel.write(source, callback);
  const name = step.as ?? `write@${ctx.position.index}${ctx.position.repetition !== undefined ? `#${ctx.position.repetition}` : ''}`;
  ctx.addWrite({ name, stepIndex: ctx.position.index, label: ctx.position.label, mode, calls, callbackErrors, future });
  if (step.as !== undefined) ctx.define(step.as, 'write', future);
}

/** Thrown when a check-out without a timeout could only settle through a later step. */
const STALLED = Symbol('stalled');

/**
 * Waits for a check-out. Without a timeout it must settle within one turn of the event loop:
 * steps run one at a time, so nothing could write or close while this step waits.
 */
async function checkOut<T>(promise: Promise<T>, timeoutMs: number | undefined, call: string): Promise<T> {
  if (timeoutMs !== undefined) return promise;
  let immediate: NodeJS.Immediate | undefined;
  const turn = new Promise<typeof STALLED>((resolve) => {
    immediate = engineImmediate(() => resolve(STALLED));
  });
  try {
    const result = await Promise.race([promise, turn]);
    if (result === STALLED) {
      throw new StepError(`${call} with no timeout would wait forever: nothing is queued and no later step can run while it waits; give "timeoutMs" (0 polls)`);
    }
    return result;
  } finally {
    clearImmediate(immediate);
  }
}

/**
 * A check-out step: waits for the result (see {@link checkOut}), or with `wait: false` goes on at
 * once and defines `as` when the check-out settles.
 */
async function checkOutStep<T>(ctx: ReplayContext, step: GetNextChunkStep | GetNextByteBufStep, kind: 'ByteBuffer' | 'ByteBuf', promise: Promise<T>): Promise<void> {
  if (step.wait === false) {
    const label = ctx.position.label;
    ctx.notePending(step.as, ctx.position.index);
    promise.then(
      (value) => ctx.define(step.as, kind, value),
      (error: unknown) => ctx.failedExpectations.push(`${label}: the check-out failed after the step: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
    );
    return;
  }
  ctx.define(step.as, kind, await checkOut(promise, step.timeoutMs, `${step.step}()`));
}

export function getNextChunk(ctx: ReplayContext, step: GetNextChunkStep): Promise<void> {
  return checkOutStep(ctx, step, 'ByteBuffer', ctx.requireBbawc().getNextChunk(step.timeoutMs));
}

export function getNextByteBuf(ctx: ReplayContext, step: GetNextByteBufStep): Promise<void> {
  return checkOutStep(ctx, step, 'ByteBuf', ctx.requireBbawc().getNextByteBuf(step.timeoutMs));
}

export function resolveOldestChunk(ctx: ReplayContext, step: ResolveOldestChunkStep): void {
  const error = step.error !== undefined ? new Error(step.error) : null;
  if (step.as !== undefined) ctx.define(step.as, 'error', error);
  ctx.requireBbawc().resolveOldestChunk(error);
}

export function close(ctx: ReplayContext, _step: CloseStep): void {
  ctx.requireChannel().close();
}

export function consume(ctx: ReplayContext, step: ConsumeStep): void {
  const rawc = ctx.requireRawc();
  switch (step.mode) {
    case 'asByteBuf':
      ctx.define(step.as, 'ByteBuf', rawc.consumeContentAsByteBuf());
      return;
    case 'asBytes':
      ctx.define(step.as, 'bytes', rawc.consumeContentAsBytes());
      return;
    case 'asStream':
      ctx.define(step.as, 'stream', rawc.consumeContentAsInputStream());
      return;
  }
}

function stream(ctx: ReplayContext, name: string): Readable {
  return ctx.get(name) as Readable;
}

/** Reads a byte stream to its end (it fails if the stream errors). */
export async function readAll(s: Readable): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of s) parts.push(chunk as Uint8Array);
  return concat(parts);
}

/** `parts` joined. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function readStream(ctx: ReplayContext, step: ReadStreamStep): Promise<void> {
  const bytes = await readAll(stream(ctx, step.stream));
  if (step.as !== undefined) ctx.define(step.as, 'bytes', bytes);
}

export async function destroyStream(ctx: ReplayContext, step: DestroyStreamStep): Promise<void> {
  const s = stream(ctx, step.stream);
  if (s.closed) return;
  let failure: Error | undefined;
  await new Promise<void>((resolve) => {
    // An error from the stream's clean-up comes as an 'error' event before 'close'.
    s.once('error', (e: Error) => (failure = e));
    s.once('close', () => resolve());
    s.destroy();
  });
  if (failure !== undefined) throw failure;
}
