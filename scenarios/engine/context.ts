/**
 * The state of one replay: the channel, the scenario's variables, the writes and what their
 * callbacks and futures saw, failed expectations, GC-path leaks, and where the current step is in
 * the file (for hints and messages).
 * @packageDocumentation
 */
import { ByteBuf, ByteBuffer, ByteBufUtil, HarnessError, LeakDetection, type GcLeak, type LeakDetectionSettings, type LeakScope } from '../../harness';
import type { ChannelEvent, WriteFuture } from '../../channel';
import type { TargetBbawc, TargetRawc } from './target';
import type { StepTypes } from './userSteps';
import type { CallbackMode, ScenarioData, Step } from './data';
import type { VarKind } from './stepSpecs';
import type { LoadedScenario } from './types';

/** One write: its source, its future, and every call its callback received. */
export interface WriteRecord {
  /** The write's `as`, or `write@<step>` when it has none. */
  name: string;
  stepIndex: number;
  /** `step 3 (write)` plus the file location: for messages. */
  label: string;
  mode: CallbackMode;
  calls: Array<{ bytes: number; error: Error | null }>;
  /** Errors the callback's own action threw (e.g. an over-release): recorded, not rethrown. */
  callbackErrors: unknown[];
  future: WriteFuture;
}

/** A scenario variable: what it holds and its value (null for a chunk that was not there). */
interface Variable {
  kind: VarKind;
  value: unknown;
}

/** Where the replay is. */
export interface StepPosition {
  /** `$.steps[index]`; -1 while the channel is being set up. */
  index: number;
  type: Step['step'] | 'set-up';
  /** 1-based repetition, for repeated steps. */
  repetition?: number;
  /** `scenarios/cases/bug/x.json:14`. */
  location: string;
  /** `step 3 write (scenarios/cases/bug/x.json:14)`: the touch hint of buffers this step makes. */
  hint: string;
  /** `step 3 (write) at scenarios/cases/bug/x.json:14`: the prefix of messages. */
  label: string;
}

/**
 * The position of a step being replayed. Its texts are built on first read: a replay enters
 * thousands of steps (a `repeat` of 1030), and most never need their hint or label.
 */
class StepAt implements StepPosition {
  readonly repetition?: number;
  private texts: { location: string; hint: string; label: string } | undefined;

  constructor(
    private readonly scenario: LoadedScenario,
    readonly index: number,
    readonly type: Step['step'],
    repetition: number | undefined,
  ) {
    if (repetition !== undefined) this.repetition = repetition;
  }

  private built(): { location: string; hint: string; label: string } {
    if (this.texts === undefined) {
      const location = `${this.scenario.file}:${this.scenario.stepLines[this.index] ?? 0}`;
      const rep = this.repetition !== undefined ? ` #${this.repetition}` : '';
      this.texts = { location, hint: `step ${this.index} ${this.type}${rep} (${location})`, label: `step ${this.index}${rep} (${this.type}) at ${location}` };
    }
    return this.texts;
  }

  get location(): string {
    return this.built().location;
  }
  get hint(): string {
    return this.built().hint;
  }
  get label(): string {
    return this.built().label;
  }
}

/** An unexpected condition in a step: the replay stops with it as `observed.error`. */
export class StepError extends HarnessError {
  override readonly name = 'StepError';
  readonly code = 'ERR_SCENARIO_STEP';
}

/** Mutable state of one replay, shared by the step handlers. */
export class ReplayContext {
  readonly scenario: LoadedScenario;
  readonly data: ScenarioData;
  /** The `expected` key the replay is judged by (what a step's `versions` filter names). */
  readonly version: string;
  readonly scope: LeakScope;
  /** The scenario's channel (null for `channel: "none"`). */
  bbawc: TargetBbawc | null = null;
  rawc: TargetRawc | null = null;
  /** Events the BBAWC listener received. */
  readonly events: ChannelEvent[] = [];
  readonly writes: WriteRecord[] = [];
  readonly failedExpectations: string[] = [];
  /** Checks skipped because the level cannot decide them: `step 4 (expectGcLeaks) at file:line: why`. */
  readonly skippedChecks: string[] = [];
  /** GC-path leaks of this scenario's buffers, seen by its `collectGarbage` steps. */
  readonly gcLeaks: GcLeak[] = [];
  /** Buffers allocated so far: seeds each allocation's distinct default content. */
  allocations = 0;
  position: StepPosition;
  private readonly vars = new Map<string, Variable>();
  /** Variables of check-outs started with `wait: false` and not settled yet, with their step. */
  private readonly pending = new Map<string, number>();
  private readonly writesByName = new Map<string, WriteRecord>();
  /** Content of each buffer or bytes variable when it was defined (`contentOf`). */
  private readonly contentAtDefinition = new Map<string, Uint8Array>();
  /** Ledger id range `(after, upTo]` of the buffers made by the step that defined each name (`createdBy`). */
  private readonly madeBy = new Map<string, { after: number; upTo: number }>();

  /** The user's step types (`--steps`), besides the built-in ones. */
  readonly stepTypes: StepTypes;
  /** The leak-detection settings the replay runs with (read once: a replay does not change them). */
  readonly settings: Readonly<LeakDetectionSettings> = LeakDetection.settings();

  constructor(scenario: LoadedScenario, version: string, scope: LeakScope, stepTypes: StepTypes = {}) {
    this.stepTypes = stepTypes;
    this.scenario = scenario;
    this.data = scenario.data as ScenarioData;
    this.version = version;
    this.scope = scope;
    this.position = { index: -1, type: 'set-up', location: scenario.file, hint: `channel set-up (${scenario.file})`, label: `channel set-up at ${scenario.file}` };
  }

  /** Moves to step `index` (repetition `repetition` of it, for repeated steps). */
  enterStep(index: number, type: Step['step'], repetition: number | undefined): void {
    this.position = new StepAt(this.scenario, index, type, repetition);
  }

  /** Records a failed expectation of the current step: `step 5 (expectCallback) at file:line: message`. */
  fail(message: string): void {
    this.failedExpectations.push(`${this.position.label}: ${message}`);
  }

  /** Records that the current step's check is skipped, and why (see `levelNeeds.ts`). */
  skip(reason: string): void {
    this.skippedChecks.push(`${this.position.label}: ${reason}`);
  }

  /** Checks `actual === expected`; records `expected <what> <expected>, got <actual>` otherwise. */
  expectEqual(what: string, expected: unknown, actual: unknown): void {
    if (actual !== expected) this.fail(`expected ${what} ${show(expected)}, got ${show(actual)}`);
  }

  // ---- variables ---------------------------------------------------------------------------------

  /** Defines variable `name` (the loader made sure it is new) and remembers its content. */
  define(name: string, kind: VarKind, value: unknown): void {
    this.pending.delete(name);
    this.vars.set(name, { kind, value });
    const content = contentOf(value);
    if (content !== undefined) this.contentAtDefinition.set(name, content);
  }

  /** The value of `name`; throws a StepError if it was forgotten or is null (when `nonNull`). */
  get(name: string, nonNull = true): unknown {
    const v = this.vars.get(name);
    const pendingAt = this.pending.get(name);
    if (v === undefined && pendingAt !== undefined) throw new StepError(`variable "${name}" has no value yet: its check-out (step ${pendingAt}, "wait": false) is still pending`);
    if (v === undefined) throw new StepError(`variable "${name}" has no value (it was forgotten, or its defining step did not run)`);
    if (nonNull && v.value === null) throw new StepError(`variable "${name}" is null (the chunk was not there)`);
    return v.value;
  }

  /** Whether a check-out started with `"wait": false` has not settled yet. */
  hasPendingCheckOuts(): boolean {
    return this.pending.size > 0;
  }

  /** Notes that `name` will be defined when the check-out started by step `index` settles. */
  notePending(name: string, index: number): void {
    this.pending.set(name, index);
  }

  /** The kind of `name`. */
  kindOf(name: string): VarKind | undefined {
    return this.vars.get(name)?.kind;
  }

  /** `name` as a ByteBuf. */
  byteBuf(name: string): ByteBuf {
    const v = this.get(name);
    if (!(v instanceof ByteBuf)) throw new StepError(`variable "${name}" is not a ByteBuf`);
    return v;
  }

  /** Drops the engine's reference to `name` (its recorded content stays, for `contentOf`). */
  forget(name: string): void {
    this.vars.delete(name);
  }

  /** The content `name` had when it was defined. */
  contentAtDefinitionOf(name: string): Uint8Array {
    const c = this.contentAtDefinition.get(name);
    if (c === undefined) throw new StepError(`variable "${name}" has no recorded content (it was null or not a buffer when defined)`);
    return c;
  }

  /** Notes which ledger ids the step that defined `name` made. */
  noteMadeBy(name: string, after: number, upTo: number): void {
    this.madeBy.set(name, { after, upTo });
  }

  /** Ledger id range of the buffers made by the step that defined `name`. */
  madeByRange(name: string): { after: number; upTo: number } {
    const r = this.madeBy.get(name);
    if (r === undefined) throw new StepError(`"${name}" was not defined by a step that ran`);
    return r;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Registers a write so its acknowledgements are counted. */
  addWrite(record: WriteRecord): void {
    this.writes.push(record);
    this.writesByName.set(record.name, record);
  }

  /** The write named `name`. */
  write(name: string): WriteRecord {
    const w = this.writesByName.get(name);
    if (w === undefined) throw new StepError(`no write named "${name}" ran`);
    return w;
  }

  /** The BBAWC, or a StepError. */
  requireBbawc(): TargetBbawc {
    if (this.bbawc === null) throw new StepError('this step needs channel "bbawc"');
    return this.bbawc;
  }

  /** The RAWC, or a StepError. */
  requireRawc(): TargetRawc {
    if (this.rawc === null) throw new StepError('this step needs channel "rawc"');
    return this.rawc;
  }

  /** The scenario's channel, whichever it is. */
  requireChannel(): TargetBbawc | TargetRawc {
    const c = this.bbawc ?? this.rawc;
    if (c === null) throw new StepError('this step needs a channel ("bbawc" or "rawc")');
    return c;
  }
}

/** The bytes a value holds now, without consuming them; undefined for non-content values or freed buffers. */
export function contentOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value.slice();
  if (value instanceof ByteBuffer) return value.toUint8Array();
  if (value instanceof ByteBuf) return value.refCnt() > 0 ? ByteBufUtil.getBytes(value) : undefined;
  return undefined;
}

/** A value for messages. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  return String(value);
}
