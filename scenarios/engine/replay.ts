/**
 * Replays one scenario against one channel version, in its own ledger scope at level `paranoid`
 * (by default) with the exact ledger on, and compares the result with the file's expectation.
 * A replay never throws: an unexpected error in a step ends the replay as `observed.error`, and
 * the leaks are still counted.
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import {
  ByteBuf,
  drainGcLeaks,
  HarnessError,
  LeakDetection,
  ledger,
  onGcLeak,
  type LeakLevel,
  type LeakScope,
} from '../../harness';
import { expansions, type ScenarioData, type Step } from './data';
import { ReplayContext, StepError } from './context';
import { acknowledgements, compareResult, expectationKeys, expectedFor } from './compare';
import { expectationKey, missingMethods, neededText, ownExpectation, type Target } from './target';
import { PORTS } from './targets/ports';
import { specOf } from './stepSpecs';
import type { StepTypes } from './userSteps';
import { handlerFor } from './steps';
import { skipReason } from './levelNeeds';
import { nextTurn } from './turns';
import type { ExpectedResult, LoadedScenario, ObservedResult, ReplayOutcome } from './types';

/**
 * A replay's time limit when the caller gives none (the runner's `--timeout`). One budget for the
 * whole replay, not one per step: an async step waits at most for what is left of it (a ref'd
 * timer, cleared when the step settles), and a synchronous step that ends past it fails too.
 */
export const DEFAULT_REPLAY_TIMEOUT_MS = 60_000;

/** The replay's time budget ran out at a step: the replay stops there, whatever the step expected. */
export class ReplayTimeoutError extends HarnessError {
  override readonly name = 'ReplayTimeoutError';
  readonly code = 'ERR_SCENARIO_REPLAY_TIMEOUT';
}

/**
 * When the replay must end, and the limit it was given (for messages). One timer for the whole
 * replay, armed by `armDeadline` and cleared when it ends: an async step races `expire`, which the
 * timer's callback calls (a timer per step cost as much as a simple step).
 */
interface Deadline {
  at: number;
  limitMs: number;
  /** Rejects the step being awaited now; replaced by each async step. */
  expire: ((error: ReplayTimeoutError) => void) | undefined;
  /** Set by the timer: a step started after it fired fails at once. */
  expired: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** Arms the replay's timer (ref'd: a step that hangs must not let the process end silently). */
function armDeadline(deadline: Deadline): void {
  deadline.timer = setTimeout(() => {
    deadline.expired = true;
    deadline.expire?.(timeoutError(deadline));
  }, deadline.limitMs);
}

function timeoutError(deadline: Deadline): ReplayTimeoutError {
  return new ReplayTimeoutError(`did not finish within the replay's time limit of ${deadline.limitMs} ms (--timeout); the replay stopped at this step`);
}

// ---- GC-path reports -------------------------------------------------------------------------
// Buffers a replay leaks are reported by its ledger; when they are garbage-collected later, the
// GC path would print them again on stderr. The engine listens instead (which silences that
// default) and prints only reports of buffers made outside every replay.

/** Ledger id ranges `(after, upTo]` of the buffers made during replays. */
const replayIdRanges: Array<{ after: number; upTo: number }> = [];
let gcListenerInstalled = false;

function installGcListener(): void {
  if (gcListenerInstalled) return;
  gcListenerInstalled = true;
  onGcLeak((leak) => {
    if (replayIdRanges.some((r) => leak.bufferId > r.after && leak.bufferId <= r.upTo)) return;
    process.stderr.write(`${leak.text}\n`);
  });
}

/**
 * Notes that ids above `after` belong to the replay starting now (merged with the previous range
 * when adjacent); the returned function closes the range at the ids used so far.
 */
function openReplayRange(after: number): () => void {
  const last = replayIdRanges[replayIdRanges.length - 1];
  const range = last !== undefined && last.upTo === after ? last : { after, upTo: Infinity };
  if (range !== last) replayIdRanges.push(range);
  range.upTo = Infinity;
  return () => {
    range.upTo = ledger.checkpoint().lastId;
  };
}

// ---- steps -----------------------------------------------------------------------------------

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}

/** An error as one line: StepErrors by message, others as `Name: first line of message`. */
function describeError(e: unknown): string {
  if (e instanceof StepError) return e.message;
  if (e instanceof Error) return `threw ${e.name}: ${firstLine(e.message)}`;
  return `threw ${String(e)}`;
}

/** Waits for an async step, at most until the deadline. */
function withinDeadline(pending: Promise<void>, deadline: Deadline): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (deadline.expired) reject(timeoutError(deadline));
    deadline.expire = reject;
    pending.then(resolve, reject);
  });
}

/** Adds the current step's hint to every live buffer made since `after` (channel-made ones included). */
function touchNewBuffers(ctx: ReplayContext, after: number): void {
  ctx.scope.touchCreatedSince(after, ctx.position.hint);
}

/** Adds the current step's hint to the live ByteBufs the step used, so their path shows the step. */
function touchUsedBuffers(ctx: ReplayContext, step: Step): void {
  const raw = step as unknown as Record<string, unknown>;
  for (const use of specOf(step.step, ctx.stepTypes).uses) {
    if (use.history === true || raw[use.field] === undefined || ctx.kindOf(raw[use.field] as string) !== 'ByteBuf') continue;
    const v = ctx.get(raw[use.field] as string, false);
    if (v instanceof ByteBuf && v.refCnt() > 0) v.touch(ctx.position.hint);
  }
}

/** Makes the scenario's channel with the target's factory (none for `channel: "none"`). */
function openChannel(ctx: ReplayContext, target: Target | undefined, version: string): void {
  const data = ctx.data;
  if (data.channel === 'none' || target === undefined) return;
  const factory = target.versions[version];
  if (factory === undefined) throw new StepError(`target "${target.name}" has no version "${version}"`);
  const limit = data.channelOptions?.sizeLimitInBytes;
  const channel: unknown = factory.create({
    listener: (event) => ctx.events.push(event),
    ...(limit !== undefined ? { sizeLimitInBytes: limit } : {}),
  });
  const missing = missingMethods(channel, target.channel);
  if (missing.length > 0) {
    throw new StepError(`target "${target.name}" version "${version}": create() returned a channel without ${missing.join(', ')} (${neededText(target.channel)})`);
  }
  if (target.channel === 'bbawc') ctx.bbawc = channel as typeof ctx.bbawc;
  else ctx.rawc = channel as typeof ctx.rawc;
}

/** Runs one expanded step, then annotates buffers and checks `throws`. Returns an error text to stop the replay. */
async function runStep(ctx: ReplayContext, step: Step, deadline: Deadline): Promise<string | undefined> {
  const skip = skipReason(step, ctx.settings);
  if (skip !== undefined) {
    ctx.skip(skip);
    return undefined;
  }
  const before = ledger.checkpoint(ctx.scope).lastId;
  let thrown: { error: unknown } | undefined;
  try {
    const pending = handlerFor(step, ctx.stepTypes)(ctx, step);
    if (pending !== undefined) await withinDeadline(pending, deadline);
    else if (performance.now() > deadline.at) throw timeoutError(deadline);
  } catch (error) {
    thrown = { error };
  }
  if (thrown?.error instanceof ReplayTimeoutError) {
    // Decided by the error, not by reading the clock again: a timer may fire a fraction of a
    // millisecond before performance.now() passes the deadline, and the waiting check-out's timer
    // (up to 24 days) would then outlive the replay.
    closeAfterTimeout(ctx);
    return `${ctx.position.label}: ${thrown.error.message}`;
  }
  const upTo = ledger.checkpoint(ctx.scope).lastId;
  if (upTo > before) touchNewBuffers(ctx, before);
  if (thrown === undefined) {
    const raw = step as unknown as Record<string, unknown>;
    for (const def of specOf(step.step, ctx.stepTypes).defines(step)) ctx.noteMadeBy(raw[def.field] as string, before, upTo);
    touchUsedBuffers(ctx, step);
  }
  if (step.throws !== undefined) {
    if (thrown === undefined) ctx.fail(`expected the step to throw ${step.throws}, but it did not`);
    else if (!(thrown.error instanceof Error) || thrown.error.name !== step.throws) {
      const what = thrown.error instanceof StepError ? `failed: ${thrown.error.message}` : describeError(thrown.error);
      ctx.fail(`expected the step to throw ${step.throws}, but it ${what}`);
    }
    return undefined;
  }
  return thrown === undefined ? undefined : `${ctx.position.label}: ${describeError(thrown.error)}`;
}

/**
 * After the time limit: closes the channel, so a check-out still waiting settles with null and
 * its timer is cleared (the next replay must not inherit it). Best effort: the replay has failed.
 */
function closeAfterTimeout(ctx: ReplayContext): void {
  try {
    (ctx.bbawc ?? ctx.rawc)?.close();
  } catch {
    // the replay already failed with the timeout; a close error adds nothing
  }
}

/** Runs the scenario's steps for the context's version; returns the error that stopped it, if any. */
async function runSteps(ctx: ReplayContext, target: Target | undefined, version: string, deadline: Deadline): Promise<string | undefined> {
  const before = ledger.checkpoint(ctx.scope).lastId;
  try {
    openChannel(ctx, target, version);
  } catch (e) {
    return `channel set-up at ${ctx.scenario.file}: ${describeError(e)}`;
  }
  touchNewBuffers(ctx, before);
  const steps = ctx.data.steps;
  for (let i = 0; i < steps.length; i++) {
    const original = steps[i]!;
    if (original.versions !== undefined && !(original.versions as readonly string[]).includes(ctx.version)) continue;
    const runs = expansions(original);
    for (let r = 0; r < runs.length; r++) {
      ctx.enterStep(i, original.step, original.repeat !== undefined ? r + 1 : undefined);
      const error = await runStep(ctx, runs[r]!, deadline);
      if (error !== undefined) return error;
      // A check-out that this step settled may reach its variable through a few promise hops of the
      // channel's own (a user's channel needs not resolve in the same microtask as the port): let
      // them all run before the next step reads it.
      if (ctx.hasPendingCheckOuts()) await nextTurn();
    }
  }
  // Let callbacks or stream events the last step scheduled run inside the scope.
  await nextTurn();
  return undefined;
}

// ---- the replay ------------------------------------------------------------------------------

/** How to replay. */
export interface ReplayOptions {
  /** Tracking level (default `paranoid`); counts come from the exact ledger at any level. */
  level?: LeakLevel;
  /** Time limit of the whole replay in ms (default {@link DEFAULT_REPLAY_TIMEOUT_MS}). */
  timeoutMs?: number;
  /**
   * The channel to replay against, `version` being one of its versions. Default: the project's
   * port of the scenario's channel (`targets/ports.ts`), whose versions are the built-in three.
   * Ignored for `channel: "none"` scenarios.
   */
  target?: Target;
  /** The user's step types (`--steps`) the scenario was loaded with. */
  steps?: StepTypes;
}

/**
 * The versions of `target` a scenario is replayed against: none when the target implements
 * another interface (or the scenario has no channel), else those with an expectation for it.
 */
export function targetVersionsFor(s: LoadedScenario, target: Target): string[] {
  if ((s.data as ScenarioData).channel !== target.channel) return [];
  return Object.keys(target.versions).filter((v) => expectationFor(s, target, v) !== undefined);
}

/** The target a scenario runs against: the given one, or the project's port of its channel. */
function targetFor(s: LoadedScenario, options: ReplayOptions): Target | undefined {
  const channel = (s.data as ScenarioData).channel;
  if (channel === 'none') return undefined;
  return options.target ?? PORTS[channel];
}

/**
 * What a replay against `version` of `target` must observe: the version's own expectation of the
 * scenario, else the file's `expected` entry its `expectAs` (default: its name) names.
 */
export function expectationFor(s: LoadedScenario, target: Target | undefined, version: string): ExpectedResult | undefined {
  const data = s.data as ScenarioData;
  if (target === undefined) return expectedFor(data, version);
  return ownExpectation(target, version, s.name) ?? expectedFor(data, expectationKey(target, version));
}

/**
 * Replays one scenario against one version in its own ledger scope at `level` (default
 * `paranoid`), with the exact ledger on; the previous settings are restored afterwards. A replay
 * still running after `timeoutMs` fails at the step it is in (a step that never settles is left
 * behind). Replays must not run concurrently (they switch process-wide settings). Never throws.
 */
export async function replayScenario(s: LoadedScenario, version: string, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  const started = performance.now();
  const limitMs = options.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const deadline: Deadline = { at: started + limitMs, limitMs, expire: undefined, expired: false, timer: undefined };
  const target = targetFor(s, options);
  const stated = expectationFor(s, target, version);
  // A user's target is named in the scope (and so in the report); the ports keep the bare version.
  const scopeName = options.target !== undefined && target !== undefined ? `${s.name} (${target.name}:${version})` : `${s.name} (${version})`;
  const expected = stated ?? { leaks: 0, overReleases: 0 };
  installGcListener();
  drainGcLeaks(); // reports of earlier work went to the listener already

  // Filled inside the scope's callback (a holder, since TypeScript does not track closure writes).
  const run: { ctx?: ReplayContext; error?: string; scope?: LeakScope } = {};
  const closeRange = openReplayRange(ledger.checkpoint().lastId);
  try {
    const previous = LeakDetection.configure({ level: options.level ?? 'paranoid', exactLedger: true });
    armDeadline(deadline);
    try {
      if (stated === undefined) {
        run.error = `scenario "${s.name}" is not replayed against "${version}": its "expected" block lists ${expectationKeys(s).join(', ')}`;
      } else {
        run.scope = (await ledger.scoped(scopeName, async (sc) => {
          run.ctx = new ReplayContext(s, target === undefined ? version : expectationKey(target, version), sc, options.steps ?? {});
          run.error = await runSteps(run.ctx, target, version, deadline);
        })).scope;
      }
    } finally {
      clearTimeout(deadline.timer);
      LeakDetection.configure(previous);
    }
  } catch (e) {
    run.error ??= `replay of ${s.file}: ${describeError(e)}`;
  }
  closeRange();

  const scope = run.scope ?? ledger.openScope(scopeName);
  const report = scope.report();
  const writes = run.ctx?.writes ?? [];
  const observed: ObservedResult = {
    leaks: report.leakCount,
    leakBytes: report.leakBytes,
    overReleases: scope.misuses.length,
    unacknowledgedWrites: writes.filter((w) => acknowledgements(w) === 0).length,
    doubleAcknowledgedWrites: writes.filter((w) => acknowledgements(w) > 1).length,
    failedExpectations: run.ctx?.failedExpectations ?? [],
    skippedChecks: run.ctx?.skippedChecks ?? [],
    ...(run.error !== undefined ? { error: run.error } : {}),
  };
  const { passed, mismatches } = compareResult(expected, observed, writes);
  return {
    scenario: s,
    version,
    ...(options.target !== undefined ? { target: options.target.name } : {}),
    expected,
    observed,
    passed,
    mismatches,
    report,
    gcLeaks: run.ctx?.gcLeaks ?? [],
    durationMs: performance.now() - started,
  };
}
