/**
 * The step handlers, by step type: one entry per step type of the schema (a test checks both
 * lists are the same).
 * @packageDocumentation
 */
import type { Step, StepType } from '../data';
import { StepError, type ReplayContext } from '../context';
import { runUserStep, type StepTypes } from '../userSteps';
import { allocate, derive, forget, read, release, retain, wrap } from './buffers';
import { close, consume, destroyStream, getNextByteBuf, getNextChunk, readStream, resolveOldestChunk, write } from './channel';
import {
  expectBytes,
  expectBytesWritten,
  expectCallback,
  expectEvents,
  expectFuture,
  expectLiveBuffers,
  expectNull,
  expectOpen,
  expectRefCnt,
  expectRemaining,
  expectSame,
} from './expect';
import { collectGarbageStep, expectGcLeaks, expectWeakRef, weakRef } from './gc';
import { runChunkFiller, runStreamConsumer } from './integration';
import { call } from './call';

/** Runs one (expanded) step; may be async. */
export type StepHandler<S extends Step = Step> = (ctx: ReplayContext, step: S) => void | Promise<void>;

type HandlerTable = { [K in StepType]: StepHandler<Extract<Step, { step: K }>> };

/** Every step type's handler. */
export const STEP_HANDLERS: HandlerTable = {
  allocate,
  wrap,
  derive,
  retain,
  release,
  read,
  forget,
  write,
  getNextChunk,
  getNextByteBuf,
  resolveOldestChunk,
  close,
  consume,
  readStream,
  destroyStream,
  expectCallback,
  expectFuture,
  expectRefCnt,
  expectRemaining,
  expectBytes,
  expectNull,
  expectSame,
  expectOpen,
  expectBytesWritten,
  expectLiveBuffers,
  expectEvents,
  weakRef,
  collectGarbage: collectGarbageStep,
  expectWeakRef,
  expectGcLeaks,
  call,
  runStreamConsumer,
  runChunkFiller,
};

/** The handler of `step`'s type: a built-in one, or that of a user step type of `steps`. */
export function handlerFor(step: Step, steps: StepTypes = {}): StepHandler {
  const builtin = (STEP_HANDLERS as Readonly<Record<string, StepHandler | undefined>>)[step.step];
  if (builtin !== undefined) return builtin;
  const def = steps[step.step];
  if (def === undefined) throw new StepError(`no handler for step type "${step.step}"`);
  return (ctx, s) => runUserStep(def, ctx, s);
}
