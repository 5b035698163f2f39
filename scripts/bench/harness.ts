/**
 * Harness core cost (issue 2). The workload: allocate a 64-byte buffer (or wrap a 64-byte
 * `ByteBuffer`), `retain()`, `touch()`, `release()` twice. Every configuration runs the same
 * workload in the same process, in short samples interleaved round by round; a configuration's cost
 * is a low quantile of its samples (see `lowQuantile`), reported as a ratio to level `disabled` with
 * the exact ledger off:
 *
 * - ledger on at `disabled` (counts, no stacks), aim <= 1.5x;
 * - `simple` without the ledger (1 buffer in `samplingInterval` tracked, no records), aim <= 1.1x;
 * - `paranoid` with the ledger: the extra cost per record (5 per cycle: creation, retain, touch,
 *   release, release) next to a bare `Error.captureStackTrace` of the same frames (the caller's
 *   stack, same frame limit), measured in the same rounds, aim <= 1.3x.
 *
 * Then the memory per live tracked buffer at each level: 200,000 live 64-byte buffers, heap and
 * external memory after a full GC, minus the same with nothing live, extrapolated to 1,000,000.
 *
 * Usage: npx tsx scripts/bench.ts harness   (HARNESS_BENCH_ROUNDS, HARNESS_BENCH_LIVE override the defaults)
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ByteBuffer, LeakDetection, ledger, Unpooled, type ByteBuf, type LeakDetectionSettings } from '../../harness';

const ROUNDS = Number(process.env.HARNESS_BENCH_ROUNDS ?? 40);
const LIVE_BUFFERS = Number(process.env.HARNESS_BENCH_LIVE ?? 200_000);
/** Target duration of one sample; the iteration count is calibrated per subject. */
const SAMPLE_MS = 8;
/** Which quantile of a subject's samples estimates its cost (see `lowQuantile`). */
const QUANTILE = 0.2;
/** Records (stack captures) per cycle at `paranoid`: the creation, retain, touch and both releases. */
const RECORDS_PER_CYCLE = 5;

/** The caller's memory, wrapped again on every wrapper cycle (a wrapper shares it, no copy). */
const CALLER_MEMORY = ByteBuffer.allocate(64);

/** Sink for results, so the work is not optimized away. */
let sink = 0;

type Make = () => ByteBuf;
const makeBuffer: Make = () => Unpooled.buffer(64);
const makeWrapper: Make = () => Unpooled.wrappedBuffer(CALLER_MEMORY);

/** The workload: `n` cycles of allocate, retain, touch, release, release. */
function cycles(make: Make, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = make();
    b.retain();
    b.touch();
    b.release();
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
function captures(n: number): void {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = LeakDetection.settings().stackDepth;
  for (let i = 0; i < n; i++) lastHolder = bareMethod();
  Error.stackTraceLimit = previous;
  if (lastHolder !== null) sink++;
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

/**
 * The low quantile of the samples. Other processes share these 2 cores: their noise only ever adds
 * time, so a low quantile of many short interleaved samples is the stable estimate of what the
 * code costs (samples still include the scavenges the workload causes).
 */
function lowQuantile(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * QUANTILE)]!;
}

/** Runs `fn` with `settings` applied, inside a fresh ledger scope (as a scenario or a test would). */
function withSettings<T>(settings: Partial<LeakDetectionSettings>, fn: () => T): T {
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

/** ns per unit of each subject: rounds of one short sample each, in rotating order; the low quantile. */
function measure(subjects: Subject[]): number[] {
  const counts = subjects.map((s) => withSettings(s.settings, () => calibrate(s.work)));
  const samples: number[][] = subjects.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      const s = subjects[i]!;
      samples[i]!.push(withSettings(s.settings, () => timeIt(s.work, counts[i]!)));
    }
  }
  return samples.map(lowQuantile);
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
  console.log(`${ROUNDS} rounds of ${SAMPLE_MS} ms samples, interleaved; each cost is the ${QUANTILE * 100}th percentile of its samples.`);
  const rows: string[][] = [['workload', 'configuration', 'ns/cycle', 'ratio', 'aim']];
  const recordRows: string[][] = [['workload', 'ns/record (paranoid - baseline) / 5', 'bare capture ns', 'ratio', 'aim']];
  for (const [label, make] of [['64-byte buffer', makeBuffer], ['wrapper of a 64-byte ByteBuffer', makeWrapper]] as const) {
    const bare: Subject = { settings: PARANOID.settings, work: captures };
    const subjects: Subject[] = [...CONFIGS.map((c) => ({ settings: c.settings, work: (n: number) => cycles(make, n) })), bare];
    const ns = measure(subjects);
    const nsOf = (c: Config): number => ns[CONFIGS.indexOf(c)]!;
    const base = nsOf(BASE);
    for (const c of CONFIGS) {
      const ratio = nsOf(c) / base;
      const aim = c === LEDGER ? verdict(ratio, 1.5) : c === SIMPLE ? verdict(ratio, 1.1) : '';
      rows.push([label, c.name, fmt(nsOf(c), 0), `${fmt(ratio)}x`, aim]);
    }
    const perRecord = (nsOf(PARANOID) - base) / RECORDS_PER_CYCLE;
    const bareNs = ns[ns.length - 1]!;
    recordRows.push([label, fmt(perRecord, 0), fmt(bareNs, 0), `${fmt(perRecord / bareNs)}x`, verdict(perRecord / bareNs, 1.3)]);
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
  printTable(memRows);
  console.log(`a live tracked buffer with 4 records at ${PARANOID.name}: ${fmt(withRecords / 1024, 2)} KB (goal: at most 1.2 KB): ${withRecords <= 1.2 * 1024 ? 'met' : 'NOT met'}`);
  if (sink === -1) console.log(sink);
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(`| ${r.map((cell, j) => cell.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}
