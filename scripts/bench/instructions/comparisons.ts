/**
 * The instruction-count comparisons of `npm run bench -- --instructions`: a plain list, one entry
 * per row of the table. An entry names a subject and a baseline, each a workload (a module of
 * `workloads/`) with its config and two sizes, and the goal for subject / baseline. Adding a row
 * is adding an entry (a workload's config carries the harness settings, so a new setting needs no
 * code here).
 * @packageDocumentation
 */
import type { LeakDetectionSettings } from '../../../harness';
import { RECORDS_PER_CYCLE } from '../harness';
import type { ChannelChunkConfig } from './workloads/channel-chunk';
import type { HarnessCycleConfig } from './workloads/harness-cycle';
import type { JestTestsConfig } from './workloads/jest-tests';
import type { PromiseQueueConfig } from './workloads/promise-queue';
import type { SanitizerSessionConfig } from './workloads/sanitizer-session';

/** One workload, configured, at two sizes (units of its work, the smaller first). */
export interface Measurement {
  /** The module under scripts/bench/instructions/workloads/. */
  readonly workload: string;
  readonly config: object;
  readonly sizes: readonly [number, number];
}

/** What one side of a comparison costs per unit: a measurement, less another, per `per` units. */
export interface Side {
  readonly measure: Measurement;
  /** Subtracted per unit (e.g. the same cycle without records, to leave the records' cost). */
  readonly minus?: Measurement;
  /** Units of this side in one unit of the workload (e.g. 5 records per cycle); default 1. */
  readonly per?: number;
}

/** A row of the table. */
export interface Comparison {
  readonly name: string;
  /** The section that `npm run bench -- --instructions <section>` picks it by. */
  readonly section: string;
  /** What one unit is, for the table's header (`cycle`, `record`, `chunk`...). */
  readonly unit: string;
  readonly subject: Side;
  readonly baseline: Side;
  /** The highest subject / baseline ratio that meets the goal; null: shown, no goal. */
  readonly goal: number | null;
}

const HARNESS = 'harness-cycle.ts';
/**
 * Sizes and warm-ups. The warm-up is long (V8 tiers a loop up on background threads, so how many
 * early iterations run unoptimized varies from run to run); both sizes then measure steady state.
 * A tracked cycle costs about 40 times an untracked one: fewer of them, for a similar run time.
 */
const CHEAP_CYCLES = [20_000, 220_000] as const;
const TRACKED_CYCLES = [2_000, 6_000] as const;
const cycle = (
  settings: Partial<LeakDetectionSettings>,
  sizes: readonly [number, number],
  warmUp: number,
  work: HarnessCycleConfig['work'] = 'cycle',
): Measurement => ({
  workload: HARNESS,
  config: { work, settings, warmUp } satisfies HarnessCycleConfig,
  sizes,
});
const BASELINE_CYCLE = cycle({ level: 'disabled', exactLedger: false }, CHEAP_CYCLES, 50_000);
const LEDGER_CYCLE = cycle({ level: 'disabled', exactLedger: true }, CHEAP_CYCLES, 50_000);
const PARANOID_CYCLE = cycle({ level: 'paranoid', exactLedger: true }, TRACKED_CYCLES, 4_000);
/** `records: 'ends'`: the creation and final-release stacks only, the other operations counted. */
const ENDS_CYCLE = cycle({ level: 'paranoid', exactLedger: true, records: 'ends' }, TRACKED_CYCLES, 4_000);
/**
 * Bare captures of a record's frames at the default stack depth (the settings only set the depth):
 * with no cut function (the floor: V8 walks no frame it leaves out), and cut at a method the loop
 * called, as the harness time section's baseline (V8 then walks, and rebuilds if inlined, the
 * frames up to the cut, which makes that baseline dearer than the floor).
 */
const bareCapture = (work: HarnessCycleConfig['work']): Measurement => ({
  workload: HARNESS,
  config: { work, settings: { level: 'paranoid', exactLedger: true }, warmUp: 10_000 } satisfies HarnessCycleConfig,
  sizes: [10_000, 30_000],
});
const BARE_CAPTURE = bareCapture('bare-capture-uncut');
const BARE_CAPTURE_CUT = bareCapture('bare-capture');
const BARE_CAPTURE_INNER = bareCapture('bare-capture-uncut-inner');
/** The floor of any per-scope ledger (scope lookup, link, unlink), beside the plain cycle; no harness ledger. */
const MINIMAL_LEDGER_CYCLE = cycle({ level: 'disabled', exactLedger: false }, CHEAP_CYCLES, 50_000, 'minimal-ledger-cycle');

const queue = (scopeUsed: boolean, insideScope = false): Measurement => ({
  workload: 'promise-queue.ts',
  config: (insideScope ? { scopeUsed, insideScope, warmUp: 50_000 } : { scopeUsed, warmUp: 50_000 }) satisfies PromiseQueueConfig,
  sizes: [50_000, 250_000],
});

const chunks = (way: ChannelChunkConfig['way']): Measurement => ({
  workload: 'channel-chunk.ts',
  config: { way, warmUp: 50_000 } satisfies ChannelChunkConfig,
  sizes: [50_000, 150_000],
});

const jestRun = (sanitizer: JestTestsConfig['sanitizer'], level?: JestTestsConfig['level']): Measurement => ({
  workload: 'jest-tests.ts',
  config: (level === undefined ? { sanitizer } : { sanitizer, level }) satisfies JestTestsConfig,
  sizes: [20, 220],
});

const sessionRun = (session: boolean, level: SanitizerSessionConfig['level'] = 'paranoid'): Measurement => ({
  workload: 'sanitizer-session.ts',
  config: { session, level, warmUp: 500 } satisfies SanitizerSessionConfig,
  sizes: [1_000, 4_000],
});

/** Every comparison, in the table's order. */
export const COMPARISONS: readonly Comparison[] = [
  {
    name: 'paranoid record ((paranoid + ledger - disabled + ledger) / 5 per cycle) vs bare Error.captureStackTrace, same depth, no cut',
    section: 'harness',
    unit: 'record',
    subject: { measure: PARANOID_CYCLE, minus: LEDGER_CYCLE, per: RECORDS_PER_CYCLE },
    baseline: { measure: BARE_CAPTURE },
    goal: 1.1,
  },
  {
    name: 'the same record vs bare Error.captureStackTrace cut at a called method (the time section\'s baseline)',
    section: 'harness',
    unit: 'record',
    subject: { measure: PARANOID_CYCLE, minus: LEDGER_CYCLE, per: RECORDS_PER_CYCLE },
    baseline: { measure: BARE_CAPTURE_CUT },
    goal: null,
  },
  {
    // The two floors of goal 3a side by side: a record that cuts its frames pays the cut capture,
    // one that keeps them pays this; each is a bare capture, with no tracker work.
    name: 'bare Error.captureStackTrace two calls down, no cut (a record keeping its own two frames) vs the same with no cut at the loop',
    section: 'harness',
    unit: 'record',
    subject: { measure: BARE_CAPTURE_INNER },
    baseline: { measure: BARE_CAPTURE },
    goal: null,
  },
  {
    name: "paranoid + ledger with records 'ends' (creation and final release) vs every record",
    section: 'harness',
    unit: 'cycle',
    subject: { measure: ENDS_CYCLE },
    baseline: { measure: PARANOID_CYCLE },
    goal: 0.5,
  },
  {
    name: 'exact ledger at disabled vs disabled without the ledger',
    section: 'harness',
    unit: 'cycle',
    subject: { measure: LEDGER_CYCLE },
    baseline: { measure: BASELINE_CYCLE },
    goal: 1.3,
  },
  {
    // The floor of the row above: what any per-scope ledger must do per buffer, hand-written.
    name: 'minimal per-scope ledger beside the cycle (scope lookup, link, unlink) vs disabled without the ledger',
    section: 'harness',
    unit: 'cycle',
    subject: { measure: MINIMAL_LEDGER_CYCLE },
    baseline: { measure: BASELINE_CYCLE },
    goal: null,
  },
  {
    name: 'simple without the ledger vs disabled without the ledger',
    section: 'harness',
    unit: 'cycle',
    subject: { measure: cycle({ level: 'simple', exactLedger: false }, CHEAP_CYCLES, 50_000) },
    baseline: { measure: BASELINE_CYCLE },
    goal: 1.1,
  },
  {
    // What views add (each made with one inlined constructor): shown, no goal.
    name: 'a slice, a duplicate and a read-only view of the buffer, each read once, vs the plain cycle, both disabled without the ledger',
    section: 'harness',
    unit: 'cycle',
    subject: { measure: cycle({ level: 'disabled', exactLedger: false }, CHEAP_CYCLES, 50_000, 'view-cycle') },
    baseline: { measure: BASELINE_CYCLE },
    goal: null,
  },
  {
    name: 'paranoid + ledger (what the default level costs) vs disabled without the ledger',
    section: 'harness',
    unit: 'cycle',
    subject: { measure: PARANOID_CYCLE },
    baseline: { measure: BASELINE_CYCLE },
    goal: null,
  },
  {
    name: 'promise queue step outside any scope: a scope used and ended vs never',
    section: 'promises',
    unit: 'step',
    subject: { measure: queue(true) },
    baseline: { measure: queue(false) },
    goal: 1.1,
  },
  {
    // What a promise pays while a scope's hook is on (a sanitizer keeps it on for a whole file).
    name: 'promise queue step inside an open scope vs outside any scope',
    section: 'promises',
    unit: 'step',
    subject: { measure: queue(false, true) },
    baseline: { measure: queue(false) },
    goal: null,
  },
  {
    name: 'ByteBufferAsyncWritableChannel vs bare promise queue (disabled)',
    section: 'channel-per-chunk',
    unit: 'chunk',
    subject: { measure: chunks('channel') },
    baseline: { measure: chunks('bare-queue') },
    goal: 1.5,
  },
  {
    // The floor of the row above: the buffers the fixed channel makes per chunk, with none of its bookkeeping.
    name: "bare promise queue carrying the channel's buffers (a wrapper per write, its ByteBuffer view, the release) vs bare promise queue",
    section: 'channel-per-chunk',
    unit: 'chunk',
    subject: { measure: chunks('bare-queue-buffers') },
    baseline: { measure: chunks('bare-queue') },
    goal: null,
  },
  {
    // What the channel adds to its buffers: futures, the two queues, the callbacks.
    name: "ByteBufferAsyncWritableChannel vs bare promise queue carrying the channel's buffers",
    section: 'channel-per-chunk',
    unit: 'chunk',
    subject: { measure: chunks('channel') },
    baseline: { measure: chunks('bare-queue-buffers') },
    goal: null,
  },
  {
    name: "ByteBufferAsyncWritableChannel vs PassThrough 'data' listener",
    section: 'channel-per-chunk',
    unit: 'chunk',
    subject: { measure: chunks('channel') },
    baseline: { measure: chunks('data-listener') },
    goal: null,
  },
  {
    name: 'ByteBufferAsyncWritableChannel vs stream.pipeline',
    section: 'channel-per-chunk',
    unit: 'chunk',
    subject: { measure: chunks('channel') },
    baseline: { measure: chunks('pipeline') },
    goal: null,
  },
  {
    name: 'jest sanitizer on (paranoid) vs off, jest -i, small tests',
    section: 'jest',
    unit: 'test',
    subject: { measure: jestRun('on') },
    baseline: { measure: jestRun('off') },
    goal: 1.1,
  },
  {
    // Splits the row above: the sanitizer's own work, without the stacks paranoid captures.
    name: 'jest sanitizer on at level disabled (scopes, ledger, checks; no stack) vs off, jest -i, small tests',
    section: 'jest',
    unit: 'test',
    subject: { measure: jestRun('on', 'disabled') },
    baseline: { measure: jestRun('off') },
    goal: null,
  },
  {
    // The jest rows' sanitizer without jest, whose own work varies by about 10% between runs.
    name: 'sanitizer session (paranoid) vs none, small tests with no test runner',
    section: 'sanitizer',
    unit: 'test',
    subject: { measure: sessionRun(true) },
    baseline: { measure: sessionRun(false) },
    goal: null,
  },
  {
    name: 'sanitizer session at level disabled (scopes, ledger, checks; no stack) vs none, small tests with no test runner',
    section: 'sanitizer',
    unit: 'test',
    subject: { measure: sessionRun(true, 'disabled') },
    baseline: { measure: sessionRun(false) },
    goal: null,
  },
];

/** The sections the comparisons belong to, in order of first appearance. */
export function sectionsOf(comparisons: readonly Comparison[]): string[] {
  return [...new Set(comparisons.map((c) => c.section))];
}
