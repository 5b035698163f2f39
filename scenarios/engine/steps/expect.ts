/**
 * Expectation steps: each compares what it sees with what the file says and records a failed
 * expectation (`step N (type) at file:line: expected ..., got ...`) instead of stopping the replay.
 * @packageDocumentation
 */
import { ByteBuf, ByteBuffer } from '../../../harness';
import type {
  ErrorChecks,
  ExpectBytesStep,
  ExpectBytesWrittenStep,
  ExpectCallbackStep,
  ExpectEventsStep,
  ExpectFutureStep,
  ExpectLiveBuffersStep,
  ExpectNullStep,
  ExpectOpenStep,
  ExpectRefCntStep,
  ExpectRemainingStep,
  ExpectSameStep,
} from '../data';
import { contentOf, show, StepError, type ReplayContext } from '../context';
import { concat } from './channel';

/** Compares an error received by a callback or future with the file's checks. */
function checkError(ctx: ReplayContext, what: string, checks: ErrorChecks, actual: Error | null): void {
  if (checks.error === null) {
    if (actual !== null) ctx.fail(`expected ${what} to be null (no error), got ${show(actual)}`);
  } else if (checks.error !== undefined && actual?.name !== checks.error) {
    ctx.fail(`expected ${what} to be a ${checks.error}, got ${actual === null ? 'null (no error)' : show(actual)}`);
  }
  if (checks.errorMessage !== undefined && actual?.message !== checks.errorMessage) {
    ctx.fail(`expected ${what} to have message ${JSON.stringify(checks.errorMessage)}, got ${actual === null ? 'null (no error)' : JSON.stringify(actual.message)}`);
  }
  if (checks.errorCode !== undefined) {
    const fields = actual as unknown as { errorCode?: unknown; code?: unknown } | null;
    const code = fields?.errorCode ?? fields?.code;
    if (code !== checks.errorCode) ctx.fail(`expected ${what} to have code ${JSON.stringify(checks.errorCode)}, got ${show(code)}`);
  }
  if (checks.sameError !== undefined && actual !== ctx.get(checks.sameError)) {
    ctx.fail(`expected ${what} to be the very error "${checks.sameError}" passed to resolveOldestChunk, got ${show(actual)}`);
  }
}

export function expectCallback(ctx: ReplayContext, step: ExpectCallbackStep): void {
  const w = ctx.write(step.write);
  const calls = step.calls ?? 1;
  if (w.calls.length !== calls) ctx.fail(`expected the callback of write "${w.name}" to have been called ${calls} time(s), got ${w.calls.length}`);
  const last = w.calls[w.calls.length - 1];
  if (last === undefined) return;
  if (step.bytes !== undefined) ctx.expectEqual(`the callback of write "${w.name}" to get bytes`, step.bytes, last.bytes);
  checkError(ctx, `the error the callback of write "${w.name}" got`, step, last.error);
}

export function expectFuture(ctx: ReplayContext, step: ExpectFutureStep): void {
  const w = ctx.write(step.write);
  const f = w.future;
  const done = step.done ?? true;
  if (f.isDone() !== done) ctx.fail(`expected the future of write "${w.name}" to be ${done ? 'done' : 'pending'}, got ${f.isDone() ? 'done' : 'pending'}`);
  if (!f.isDone()) return;
  if (step.result !== undefined) ctx.expectEqual(`the future of write "${w.name}" to give`, step.result, f.result());
  checkError(ctx, `the error of the future of write "${w.name}"`, step, f.error());
}

export function expectRefCnt(ctx: ReplayContext, step: ExpectRefCntStep): void {
  ctx.expectEqual(`"${step.of}".refCnt() to be`, step.equals, ctx.byteBuf(step.of).refCnt());
}

export function expectRemaining(ctx: ReplayContext, step: ExpectRemainingStep): void {
  const v = ctx.get(step.of);
  let remaining: number;
  if (v instanceof ByteBuffer) remaining = v.remaining();
  else if (v instanceof ByteBuf) remaining = v.readableBytes();
  else if (v instanceof Uint8Array) remaining = v.length;
  else throw new StepError(`variable "${step.of}" holds no bytes`);
  ctx.expectEqual(`"${step.of}" to have remaining bytes`, step.equals, remaining);
}

export function expectBytes(ctx: ReplayContext, step: ExpectBytesStep): void {
  const actual = contentOf(ctx.get(step.of));
  if (actual === undefined) throw new StepError(`variable "${step.of}" holds no readable bytes (a freed buffer?)`);
  const expected = step.bytes !== undefined ? Uint8Array.from(step.bytes) : concat((step.contentOf ?? []).map((n) => ctx.contentAtDefinitionOf(n)));
  const source = step.bytes !== undefined ? 'the given bytes' : `the content of ${(step.contentOf ?? []).join(', ')}`;
  const difference = firstDifference(expected, actual);
  if (difference === undefined) return;
  const detail = expected.length !== actual.length
    ? `${actual.length} byte(s)`
    : `a difference at index ${difference}: 0x${hex(actual[difference]!)} instead of 0x${hex(expected[difference]!)}`;
  ctx.fail(`expected "${step.of}" to hold ${expected.length} byte(s) equal to ${source}, got ${detail}`);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

export function expectNull(ctx: ReplayContext, step: ExpectNullStep): void {
  const isNull = ctx.get(step.of, false) === null;
  const want = step.isNull ?? true;
  if (isNull !== want) ctx.fail(`expected "${step.of}" to be ${want ? 'null' : 'not null'}, got ${isNull ? 'null' : 'a value'}`);
}

export function expectSame(ctx: ReplayContext, step: ExpectSameStep): void {
  if (ctx.get(step.of, false) !== ctx.get(step.sameAs, false)) ctx.fail(`expected "${step.of}" to be the very same object as "${step.sameAs}", got a different one`);
}

export function expectOpen(ctx: ReplayContext, step: ExpectOpenStep): void {
  ctx.expectEqual('channel.isOpen() to be', step.open, ctx.requireChannel().isOpen());
}

export function expectBytesWritten(ctx: ReplayContext, step: ExpectBytesWrittenStep): void {
  ctx.expectEqual('getBytesWritten() to be', step.equals, ctx.requireRawc().getBytesWritten());
}

export function expectLiveBuffers(ctx: ReplayContext, step: ExpectLiveBuffersStep): void {
  if (step.createdBy === undefined) {
    ctx.expectEqual('the ledger to hold live buffers:', step.equals, ctx.scope.liveCount);
    return;
  }
  const { after, upTo } = ctx.madeByRange(step.createdBy);
  const live = ctx.scope.live().filter((t) => t.id > after && t.id <= upTo).length;
  ctx.expectEqual(`live buffers made by the step that defined "${step.createdBy}":`, step.equals, live);
}

export function expectEvents(ctx: ReplayContext, step: ExpectEventsStep): void {
  const got = ctx.events.join(', ');
  const want = step.equals.join(', ');
  if (got !== want) ctx.fail(`expected events [${want}], got [${got}]`);
}
