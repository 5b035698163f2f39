/**
 * The shape of a scenario file once it has passed the schema (`scenarios/schema/scenario.schema.json`).
 * These types mirror the schema; a test checks that every step type in the schema has a handler.
 * @packageDocumentation
 */
import type { ChannelVersion, ScenarioKind } from './types';

/** Where a buffer's bytes live. */
export type Memory = 'heap' | 'direct';

/** The channel a scenario runs against: ByteBufferAsyncWritableChannel, RetainingAsyncWritableChannel, or none. */
export type ChannelType = 'bbawc' | 'rawc' | 'none';

/** Properties every step accepts. */
export interface StepCommon {
  step: string;
  /** Run only for these versions. */
  versions?: ChannelVersion[];
  /** Run N times, with `{n}` in every string replaced by 1..N. */
  repeat?: number;
  /** The step must throw an error of this class name. */
  throws?: string;
  comment?: string;
}

/** Content of a buffer: `size` bytes (optionally all `fill`), or exactly `bytes`. */
export interface ContentSpec {
  memory?: Memory;
  size?: number;
  bytes?: number[];
  fill?: number;
}

export interface AllocateStep extends StepCommon, ContentSpec {
  step: 'allocate';
  as: string;
  type: 'ByteBuffer' | 'ByteBuf' | 'CompositeByteBuf' | 'EMPTY_BUFFER';
  parts?: ContentSpec[];
}
export interface WrapStep extends StepCommon {
  step: 'wrap';
  as: string;
  source: string;
}
export type DeriveHow = 'slice' | 'duplicate' | 'asReadOnly' | 'readSlice' | 'retainedSlice' | 'retainedDuplicate' | 'readRetainedSlice';
export interface DeriveStep extends StepCommon {
  step: 'derive';
  as: string;
  of: string;
  how: DeriveHow;
  length?: number;
}
export interface RetainStep extends StepCommon {
  step: 'retain';
  of: string;
  count?: number;
}
export interface ReleaseStep extends StepCommon {
  step: 'release';
  of: string;
  count?: number;
}
export interface ReadStep extends StepCommon {
  step: 'read';
  from: string;
  length?: number;
  as?: string;
}
export interface ForgetStep extends StepCommon {
  step: 'forget';
  of: string;
}
/** What a write's callback does besides being recorded. */
export type CallbackMode = 'record' | 'releaseSource' | 'none';
export interface WriteStep extends StepCommon {
  step: 'write';
  source: string;
  as?: string;
  callback?: CallbackMode;
}
export interface GetNextChunkStep extends StepCommon {
  step: 'getNextChunk';
  as: string;
  timeoutMs?: number;
  /** false: start the check-out and go on; `as` gets its value when it settles. */
  wait?: boolean;
}
export interface GetNextByteBufStep extends StepCommon {
  step: 'getNextByteBuf';
  as: string;
  timeoutMs?: number;
  /** false: start the check-out and go on; `as` gets its value when it settles. */
  wait?: boolean;
}
export interface ResolveOldestChunkStep extends StepCommon {
  step: 'resolveOldestChunk';
  error?: string;
  as?: string;
}
export interface CloseStep extends StepCommon {
  step: 'close';
}
export type ConsumeMode = 'asByteBuf' | 'asBytes' | 'asStream';
export interface ConsumeStep extends StepCommon {
  step: 'consume';
  as: string;
  mode: ConsumeMode;
}
export interface ReadStreamStep extends StepCommon {
  step: 'readStream';
  stream: string;
  as?: string;
}
export interface DestroyStreamStep extends StepCommon {
  step: 'destroyStream';
  stream: string;
}
/** Checks on an error received by a callback or future. */
export interface ErrorChecks {
  error?: string | null;
  errorMessage?: string;
  errorCode?: string;
  sameError?: string;
}
export interface ExpectCallbackStep extends StepCommon, ErrorChecks {
  step: 'expectCallback';
  write: string;
  calls?: number;
  bytes?: number;
}
export interface ExpectFutureStep extends StepCommon, ErrorChecks {
  step: 'expectFuture';
  write: string;
  done?: boolean;
  result?: number;
}
export interface ExpectRefCntStep extends StepCommon {
  step: 'expectRefCnt';
  of: string;
  equals: number;
}
export interface ExpectRemainingStep extends StepCommon {
  step: 'expectRemaining';
  of: string;
  equals: number;
}
export interface ExpectBytesStep extends StepCommon {
  step: 'expectBytes';
  of: string;
  bytes?: number[];
  contentOf?: string[];
}
export interface ExpectNullStep extends StepCommon {
  step: 'expectNull';
  of: string;
  isNull?: boolean;
}
export interface ExpectSameStep extends StepCommon {
  step: 'expectSame';
  of: string;
  sameAs: string;
}
export interface ExpectOpenStep extends StepCommon {
  step: 'expectOpen';
  open: boolean;
}
export interface ExpectBytesWrittenStep extends StepCommon {
  step: 'expectBytesWritten';
  equals: number;
}
export interface ExpectLiveBuffersStep extends StepCommon {
  step: 'expectLiveBuffers';
  equals: number;
  createdBy?: string;
}
export interface ExpectEventsStep extends StepCommon {
  step: 'expectEvents';
  equals: Array<'Write' | 'Close'>;
}
export interface WeakRefStep extends StepCommon {
  step: 'weakRef';
  as: string;
  of: string;
}
export interface CollectGarbageStep extends StepCommon {
  step: 'collectGarbage';
}
export interface ExpectWeakRefStep extends StepCommon {
  step: 'expectWeakRef';
  of: string;
  alive: boolean;
}
export interface ExpectGcLeaksStep extends StepCommon {
  step: 'expectGcLeaks';
  count: number;
  contains?: string;
}
export interface CallStep extends StepCommon {
  step: 'call';
  /** A built-in function's name, or with `module` the name of one of its exports. */
  function: string;
  /** A module of the user's, relative to the scenario file. */
  module?: string;
  source?: string;
  /** More arguments after `source` (a module function only). */
  args?: unknown[];
  /** Names the ByteBuf the function returns (a module function only). */
  as?: string;
}
export interface RunStreamConsumerStep extends StepCommon {
  step: 'runStreamConsumer';
  writes: number[];
  memory?: Memory;
  as?: string;
}
export interface RunChunkFillerStep extends StepCommon {
  step: 'runChunkFiller';
  writes: number[];
  chunkSize: number;
  memory?: Memory;
  as?: string;
}

/** Every step, discriminated by `step`. */
export type Step =
  | AllocateStep | WrapStep | DeriveStep | RetainStep | ReleaseStep | ReadStep | ForgetStep
  | WriteStep | GetNextChunkStep | GetNextByteBufStep | ResolveOldestChunkStep | CloseStep
  | ConsumeStep | ReadStreamStep | DestroyStreamStep
  | ExpectCallbackStep | ExpectFutureStep | ExpectRefCntStep | ExpectRemainingStep | ExpectBytesStep
  | ExpectNullStep | ExpectSameStep | ExpectOpenStep | ExpectBytesWrittenStep | ExpectLiveBuffersStep
  | ExpectEventsStep | WeakRefStep | CollectGarbageStep | ExpectWeakRefStep | ExpectGcLeaksStep
  | CallStep | RunStreamConsumerStep | RunChunkFillerStep;

/** The name of a step type. */
export type StepType = Step['step'];

/** The expected result of one version as written in the file (`overReleases` optional). */
export interface ExpectedInFile {
  leaks: number;
  overReleases?: number;
}

/** A whole scenario file. */
export interface ScenarioData {
  $schema?: string;
  name: string;
  kind: ScenarioKind;
  description: string;
  channel: ChannelType;
  channelOptions?: { sizeLimitInBytes?: number };
  /** By version: the built-in three, or a version a loaded target declares. */
  expected: Partial<Record<ChannelVersion, ExpectedInFile>> & Readonly<Record<string, ExpectedInFile | undefined>>;
  steps: Step[];
}

/** `{n}` in every string of `step` replaced by `n` (for `repeat`). */
export function expandStep<S extends Step>(step: S, n: number): S {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split('{n}').join(String(n));
    if (Array.isArray(v)) return v.map(sub);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
    }
    return v;
  };
  return sub(step) as S;
}

/**
 * The expansions made last, by step, at most {@link EXPANSIONS_KEPT}: a scenario's versions replay
 * one after the other and ask for the same ones (a `repeat` of 1030 is 1030 copies). Bounded, so
 * the copies of every loaded scenario (the loader's checks expand them all) are not kept for the
 * run: each forced full collection would mark them all. Callers do not change what they get.
 */
const expanded = new Map<Step, readonly Step[]>();
const EXPANSIONS_KEPT = 16;

/** The concrete steps a step stands for: itself, or one per repetition. */
export function expansions<S extends Step>(step: S): readonly S[] {
  if (step.repeat === undefined) return [step];
  let runs = expanded.get(step);
  if (runs === undefined) {
    runs = Array.from({ length: step.repeat }, (_, i) => expandStep(step, i + 1));
    if (expanded.size >= EXPANSIONS_KEPT) expanded.delete(expanded.keys().next().value as Step);
    expanded.set(step, runs);
  }
  return runs as readonly S[];
}
