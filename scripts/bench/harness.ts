/**
 * Harness core cost (issue 2). The workload: allocate a 64-byte buffer (or wrap a 64-byte
 * `ByteBuffer`), `retain()`, `touch()`, `release()` twice. Every configuration runs the same
 * workload in the same process, in short samples interleaved round by round; a configuration's cost
 * per round is compared with the same round's level `disabled` with the exact ledger off, and the
 * median and min..max of those per-round ratios printed:
 *
 * - ledger on at `disabled` (counts, no stacks), aim <= 1.5x;
 * - `simple` without the ledger (1 buffer in `samplingInterval` tracked, no records), aim <= 1.1x;
 * - `paranoid` with the ledger, the default level's whole cycle (no aim), and its extra cost per
 *   record (5 per cycle: creation, retain, touch,
 *   release, release) next to a bare `Error.captureStackTrace` of the same frames (the caller's
 *   stack, same frame limit), measured in the same rounds, aim <= 1.3x.
 *
 * Then the memory per live tracked buffer at each level: 200,000 live 64-byte buffers, heap and
 * external memory after a full GC, minus the same with nothing live, extrapolated to 1,000,000;
 * and at `paranoid` with four records, at the default stack depth and with stacks of one frame
 * (the least four records can hold: the floor of the 1.2 KB goal).
 *
 * Usage: npx tsx scripts/bench.ts harness   (HARNESS_BENCH_ROUNDS, HARNESS_BENCH_LIVE override the defaults)
 */
import { executionAsyncResource } from 'node:async_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ByteBuffer, LeakDetection, ledger, Unpooled, type ByteBuf, type LeakDetectionSettings } from '../../harness';
import { formatRange, formatRatio, median, perRoundRatios } from './lib/rounds';
import { formatMarkdownTable } from './lib/table';

const ROUNDS = Number(process.env.HARNESS_BENCH_ROUNDS ?? 40);
const LIVE_BUFFERS = Number(process.env.HARNESS_BENCH_LIVE ?? 200_000);
/** Target duration of one sample; the iteration count is calibrated per subject. */
const SAMPLE_MS = 8;
/** Records (stack captures) per cycle at `paranoid`: the creation, retain, touch and both releases. */
export const RECORDS_PER_CYCLE = 5;

/** The caller's memory, wrapped again on every wrapper cycle (a wrapper shares it, no copy). */
const CALLER_MEMORY = ByteBuffer.allocate(64);

/** Sink for results, so the work is not optimized away. */
let sink = 0;

/** Makes the buffer of one cycle. */
export type Make = () => ByteBuf;
export const makeBuffer: Make = () => Unpooled.buffer(64);
const makeWrapper: Make = () => Unpooled.wrappedBuffer(CALLER_MEMORY);

/** The workload: `n` cycles of allocate, retain, touch, release, release. */
export function cycles(make: Make, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = make();
    b.retain();
    b.touch();
    b.release();
    if (b.release()) sink++;
  }
}

/**
 * The views' workload: `n` times allocate a 64-byte buffer, take a slice, a duplicate and a
 * read-only view of it, read each view's `readableBytes()`, release the buffer (the views share
 * its count). Only the instruction-count bench runs it (`--instructions harness`).
 */
export function viewCycles(n: number): void {
  for (let i = 0; i < n; i++) {
    const b = Unpooled.buffer(64);
    b.writerIndex(64);
    sink += b.slice(0, 32).readableBytes() + b.duplicate().readableBytes() + b.asReadOnly().readableBytes();
    if (b.release()) sink++;
  }
}

/**
 * A bare capture of the same frames a record captures: the harness cuts its own frames (a record's
 * stack starts at the caller of `retain()`), so the bare one is cut at the method the loop called.
 */
function bareCapture(): object {
  const holder = {};
  Error.captureStackTrace(holder, bareMethod);
  return holder;
}
function bareRecord(): object {
  return bareCapture();
}
function bareMethod(): object {
  return bareRecord();
}
let lastHolder: object | null = null;
/** `n` bare captures of a record's frames, at the harness's stack depth. */
export function captures(n: number): void {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = LeakDetection.settings().stackDepth;
  for (let i = 0; i < n; i++) lastHolder = bareMethod();
  Error.stackTraceLimit = previous;
  if (lastHolder !== null) sink++;
}

/**
 * `n` bare captures with no cut function, at the harness's stack depth: the stack starts at this
 * loop, as a record's starts at the loop that called `retain()`, and V8 walks no frame it then
 * leaves out. The cheapest capture of the same frames: the floor a record is held to.
 */
export function uncutCaptures(n: number): void {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = LeakDetection.settings().stackDepth;
  for (let i = 0; i < n; i++) {
    const holder = {};
    Error.captureStackTrace(holder);
    lastHolder = holder;
  }
  Error.stackTraceLimit = previous;
  if (lastHolder !== null) sink++;
}

/**
 * `n` bare captures with no cut function made two calls down from the loop (a method and the
 * function it calls, as `retain()` calls the tracker's `record`): what a record that kept its own
 * two frames instead of cutting them would capture, the other floor a record is held to.
 */
export function uncutInnerCaptures(n: number): void {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = LeakDetection.settings().stackDepth;
  for (let i = 0; i < n; i++) lastHolder = uncutMethod();
  Error.stackTraceLimit = previous;
  if (lastHolder !== null) sink++;
}
function uncutMethod(): object {
  return uncutRecord();
}
function uncutRecord(): object {
  const holder = {};
  Error.captureStackTrace(holder);
  return holder;
}

/** An entry of the minimal ledger: its links and the bytes it counts, nothing else. */
interface MinimalEntry {
  prev: MinimalEntry | null;
  next: MinimalEntry | null;
  readonly capacity: number;
}
/** A scope of the minimal ledger: its entries' list and their bytes. */
interface MinimalScope {
  head: MinimalEntry | null;
  liveBytes: number;
}
/** Where the minimal ledger keeps its scope, as the harness keeps its own: a symbol-keyed slot of the async resource. */
const MINIMAL_SCOPE = Symbol('bench.minimalLedger.scope');
type MinimalCarrier = { [MINIMAL_SCOPE]?: MinimalScope };

/**
 * The floor of any exact per-scope ledger: the plain cycle at `disabled` without the harness's
 * ledger, plus per buffer only what such a ledger cannot do without: find the current scope as the
 * harness finds its own (`executionAsyncResource()` and a symbol-keyed load), link an entry into the
 * scope's list when the buffer is made, unlink it at the final release. No id, no record, nothing
 * per operation, no report. Only the instruction-count bench runs it.
 */
export function minimalLedgerCycles(n: number): void {
  const ledgerScope = ((executionAsyncResource() as MinimalCarrier)[MINIMAL_SCOPE] ??= { head: null, liveBytes: 0 });
  for (let i = 0; i < n; i++) {
    const b = Unpooled.buffer(64);
    const scope = (executionAsyncResource() as MinimalCarrier)[MINIMAL_SCOPE]!;
    const entry: MinimalEntry = { prev: null, next: scope.head, capacity: 64 };
    if (scope.head !== null) scope.head.prev = entry;
    scope.head = entry;
    scope.liveBytes += entry.capacity;
    b.retain();
    b.touch();
    b.release();
    if (b.release()) {
      sink++;
      if (entry.prev !== null) entry.prev.next = entry.next;
      else scope.head = entry.next;
      if (entry.next !== null) entry.next.prev = entry.prev;
      scope.liveBytes -= entry.capacity;
    }
  }
  // Every buffer was released, so the floor's own ledger must be empty again (or it measured a leak).
  if (ledgerScope.head !== null || ledgerScope.liveBytes !== 0) throw new Error(`the minimal ledger kept ${ledgerScope.liveBytes} byte(s) after every buffer was released`);
}

interface Config {
  name: string;
  settings: Partial<LeakDetectionSettings>;
}

const BASE: Config = { name: 'disabled, no ledger (baseline)', settings: { level: 'disabled', exactLedger: false } };
const LEDGER: Config = { name: 'disabled + ledger', settings: { level: 'disabled', exactLedger: true } };
const SIMPLE: Config = { name: 'simple, no ledger', settings: { level: 'simple', exactLedger: false } };
const ADVANCED: Config = { name: 'advanced, no ledger', settings: { level: 'advanced', exactLedger: false } };
const PARANOID: Config = { name: 'paranoid + ledger', settings: { level: 'paranoid', exactLedger: true } };
const CONFIGS = [BASE, LEDGER, SIMPLE, ADVANCED, PARANOID];

/** Nanoseconds per unit of `work(n)`. */
function timeIt(work: (n: number) => void, n: number): number {
  const start = process.hrtime.bigint();
  work(n);
  return Number(process.hrtime.bigint() - start) / n;
}

/** An iteration count that makes `work` take about SAMPLE_MS. */
function calibrate(work: (n: number) => void): number {
  let n = 16;
  for (;;) {
    const ns = timeIt(work, n) * n;
    if (ns > 2e6) return Math.max(16, Math.round((n * SAMPLE_MS * 1e6) / ns));
    n *= 4;
  }
}

/** Runs `fn` with `settings` applied, inside a fresh ledger scope (as a scenario or a test would). */
export function withSettings<T>(settings: Partial<LeakDetectionSettings>, fn: () => T): T {
  const previous = LeakDetection.configure(settings);
  try {
    return ledger.runIn(ledger.openScope('bench'), fn);
  } finally {
    LeakDetection.configure(previous);
  }
}

/** One thing to time: a configuration of the workload, or the bare capture. */
interface Subject {
  readonly settings: Partial<LeakDetectionSettings>;
  readonly work: (n: number) => void;
}

/** ns per unit of each subject, per round: rounds of one short sample each, in rotating order. */
function measure(subjects: Subject[]): number[][] {
  const counts = subjects.map((s) => withSettings(s.settings, () => calibrate(s.work)));
  const samples: number[][] = subjects.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      const s = subjects[i]!;
      samples[i]!.push(withSettings(s.settings, () => timeIt(s.work, counts[i]!)));
    }
  }
  return samples;
}

let gcFn: (() => void) | undefined;
function fullGc(): void {
  if (gcFn === undefined) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 3; i++) gcFn();
}

function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * Bytes per live buffer at `settings`: `LIVE_BUFFERS` held, measured after a full GC. With
 * `withRecords`, each buffer is touched, retained and released once after it is made: at
 * `paranoid`, four records (its creation and those three), as a buffer that went somewhere has.
 */
function memoryPerLiveBuffer(settings: Partial<LeakDetectionSettings>, withRecords = false): number {
  return withSettings(settings, () => {
    fullGc();
    const before = usedBytes();
    const held: ByteBuf[] = new Array<ByteBuf>(LIVE_BUFFERS);
    for (let i = 0; i < LIVE_BUFFERS; i++) {
      const b = Unpooled.buffer(64);
      if (withRecords) b.touch('bench').retain().release();
      held[i] = b;
    }
    fullGc();
    const after = usedBytes();
    for (const b of held) b.release();
    held.length = 0;
    fullGc();
    return (after - before) / LIVE_BUFFERS;
  });
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits);
const verdict = (ratio: number, aim: number): string => (ratio <= aim ? `ok (aim <= ${aim}x)` : `MISSED (aim <= ${aim}x)`);

/** Prints the tables. */
export async function run(): Promise<void> {
  // Warm every path once so the first round does not pay for compilation.
  for (const c of CONFIGS) withSettings(c.settings, () => {
    cycles(makeBuffer, 20_000);
    cycles(makeWrapper, 20_000);
  });
  console.log(
    `${ROUNDS} rounds of one ${SAMPLE_MS} ms sample per configuration, interleaved; ns/cycle is the median over the rounds; ` +
      'a ratio is taken per round against the same round\'s baseline, and its median and min..max printed.',
  );
  const rows: string[][] = [['workload', 'configuration', 'ns/cycle', 'ratio', 'min..max', 'aim']];
  const recordRows: string[][] = [['workload', 'ns/record (paranoid - baseline) / 5', 'bare capture ns', 'ratio', 'min..max', 'aim']];
  for (const [label, make] of [['64-byte buffer', makeBuffer], ['wrapper of a 64-byte ByteBuffer', makeWrapper]] as const) {
    const bare: Subject = { settings: PARANOID.settings, work: captures };
    const subjects: Subject[] = [...CONFIGS.map((c) => ({ settings: c.settings, work: (n: number) => cycles(make, n) })), bare];
    const ns = measure(subjects);
    const nsOf = (c: Config): number[] => ns[CONFIGS.indexOf(c)]!;
    const base = nsOf(BASE);
    for (const c of CONFIGS) {
      const ratios = perRoundRatios(nsOf(c), base);
      const aim = c === LEDGER ? verdict(median(ratios), 1.5) : c === SIMPLE ? verdict(median(ratios), 1.1) : c === PARANOID ? 'the default level: no aim' : '';
      rows.push([label, c.name, fmt(median(nsOf(c)), 0), formatRatio(median(ratios)), formatRange(ratios), aim]);
    }
    // Per round: that round's paranoid cycle minus its baseline cycle, per record, over its bare capture.
    const perRecord = nsOf(PARANOID).map((p, r) => (p - base[r]!) / RECORDS_PER_CYCLE);
    const bareNs = ns[ns.length - 1]!;
    const ratios = perRoundRatios(perRecord, bareNs);
    recordRows.push([label, fmt(median(perRecord), 0), fmt(median(bareNs), 0), formatRatio(median(ratios)), formatRange(ratios), verdict(median(ratios), 1.3)]);
  }
  printTable(rows);
  console.log(`\nparanoid + ledger: cost per record (${RECORDS_PER_CYCLE} per cycle) vs a bare Error.captureStackTrace at the same depth and frame limit:`);
  printTable(recordRows);

  console.log(`\nmemory per live 64-byte buffer (${LIVE_BUFFERS.toLocaleString('en-US')} held, heap + external after a full GC):`);
  const memRows: string[][] = [['configuration', 'bytes/buffer', 'of which tracking', '1,000,000 live buffers']];
  const baseline = memoryPerLiveBuffer(BASE.settings);
  for (const c of CONFIGS) {
    const bytes = c === BASE ? baseline : memoryPerLiveBuffer(c.settings);
    memRows.push([c.name, fmt(bytes, 0), fmt(bytes - baseline, 0), `${fmt((bytes * 1e6) / 2 ** 20, 0)} MiB`]);
  }
  const withRecords = memoryPerLiveBuffer(PARANOID.settings, true);
  memRows.push([`${PARANOID.name}, 4 records (made, touch, retain, release)`, fmt(withRecords, 0), fmt(withRecords - baseline, 0), `${fmt((withRecords * 1e6) / 2 ** 20, 0)} MiB`]);
  // The goal's floor: the same four records with the smallest stacks there are (one frame each).
  const oneFrame = memoryPerLiveBuffer({ ...PARANOID.settings, stackDepth: 1 }, true);
  memRows.push([`${PARANOID.name}, 4 records, stacks of 1 frame (stackDepth 1)`, fmt(oneFrame, 0), fmt(oneFrame - baseline, 0), `${fmt((oneFrame * 1e6) / 2 ** 20, 0)} MiB`]);
  printTable(memRows);
  console.log(`a live tracked buffer with 4 records at ${PARANOID.name}: ${fmt(withRecords / 1024, 2)} KB (goal: at most 1.2 KB): ${withRecords <= 1.2 * 1024 ? 'met' : 'NOT met'}; with 1-frame stacks ${fmt(oneFrame / 1024, 2)} KB`);
  if (sink === -1) console.log(sink);
}

function printTable(rows: string[][]): void {
  console.log(formatMarkdownTable(rows));
}
