/**
 * The soak: many seeded random sequences (fast-check), each replayed against the fixed
 * `ByteBufferAsyncWritableChannel` (no leak, no over-release) and the legacy one (exactly the
 * predicted leaks), or against `RetainingAsyncWritableChannel`. Every sequence runs, failing or
 * not, so the failure count is real; the first failure is then replayed by its fast-check path and
 * shrunk to a small counterexample, at level `paranoid` so its leak report says where buffers
 * were made.
 * @packageDocumentation
 */
import fc from 'fast-check';
import { LeakDetection, onGcLeak, drainGcLeaks, type LeakLevel } from '../../harness';
import { createByteBufferAsyncWritableChannel, RetainingAsyncWritableChannel, type BBAWC } from '../../channel';
import { runBbawcSequence } from './bbawc';
import { soakCase, type SoakCase } from './operations';
import { runRawcSequence } from './rawc';

/** Sequence length the default run uses: see the README's "Reliability" for the measurement. */
export const DEFAULT_MAX_OPS = 32;

/** The channels a soak drives; tests swap in broken ones to prove the soak fails. */
export interface SoakChannels {
  /** Must show none of the seed's bugs. */
  fixed(): BBAWC;
  /** Must show exactly the seed's bugs, as predicted from each sequence. */
  legacy(): BBAWC;
  retaining(limit: number): RetainingAsyncWritableChannel;
}

/** The project's channels. */
export const PROJECT_CHANNELS: SoakChannels = {
  fixed: () => createByteBufferAsyncWritableChannel('fixed'),
  legacy: () => createByteBufferAsyncWritableChannel('legacy'),
  retaining: (limit) => new RetainingAsyncWritableChannel(limit),
};

/** How to run a soak. */
export interface SoakOptions {
  sequences: number;
  /** fast-check's seed: the same seed generates the same sequences. */
  seed: number;
  /** Most operations in one sequence (default {@link DEFAULT_MAX_OPS}). */
  maxOps?: number;
  channels?: SoakChannels;
  /** Called after every `progressEvery` sequences. */
  onProgress?: (done: number, failures: number) => void;
  progressEvery?: number;
}

/** The first failing sequence, shrunk. */
export interface SoakFailure {
  /** Which generated sequence (0-based) failed first. */
  index: number;
  /** The shrunk sequence that still fails; null if the replay passed (the failure depended on timing). */
  counterexample: SoakCase | null;
  /** What it broke. */
  error: unknown;
  /** fast-check's path of the shrunk case, to replay it with the seed. */
  path: string;
}

/** What a soak did. */
export interface SoakResult {
  seed: number;
  sequences: number;
  failures: number;
  bbawcSequences: number;
  rawcSequences: number;
  /** Operations run across every replay (each BBAWC sequence runs twice: fixed and legacy). */
  ops: number;
  /** Leaks the legacy channel showed, each one predicted. */
  legacyLeaks: number;
  /** Over-releases the legacy channel caused, each one predicted. */
  legacyOverReleases: number;
  firstFailure: SoakFailure | null;
  elapsedMs: number;
}

/** Figures summed over the cases {@link runSoakCase} replays. */
export interface Tally {
  ops: number;
  legacyLeaks: number;
  legacyOverReleases: number;
}

/** Replays one case against the channels it concerns; throws what it broke. */
export async function runSoakCase(c: SoakCase, channels: SoakChannels = PROJECT_CHANNELS, tally?: Tally): Promise<void> {
  if (c.channel === 'rawc') {
    const outcome = await runRawcSequence(channels.retaining, c.limit, c.ops);
    if (tally !== undefined) tally.ops += outcome.ops;
    return;
  }
  const fixed = await runBbawcSequence(channels.fixed, c.ops, 'fixed');
  const legacy = await runBbawcSequence(channels.legacy, c.ops, 'legacy');
  if (tally !== undefined) {
    tally.ops += fixed.ops + legacy.ops;
    tally.legacyLeaks += legacy.leaks;
    tally.legacyOverReleases += legacy.overReleases;
  }
}

/** Runs the soak (see the module comment). Leak detection is set to `disabled` with the exact ledger meanwhile, then restored. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { sequences, seed, channels = PROJECT_CHANNELS, maxOps = DEFAULT_MAX_OPS, progressEvery = 0 } = options;
  const started = performance.now();
  const tally: Tally = { ops: 0, legacyLeaks: 0, legacyOverReleases: 0 };
  let done = 0;
  let failures = 0;
  let firstIndex = -1;
  let bbawcSequences = 0;
  const arbitrary = soakCase(maxOps);
  // Deliberate leaks of the legacy channel are counted by the ledger; GC reports of them are noise.
  const unsubscribe = onGcLeak(() => undefined);
  try {
    // Exact counts need the ledger, not stacks: without them a sequence costs a fraction.
    const previous = LeakDetection.configure({ level: 'disabled', exactLedger: true });
    try {
      const counting = fc.asyncProperty(arbitrary, async (c) => {
        if (c.channel === 'bbawc') bbawcSequences++;
        try {
          await runSoakCase(c, channels, tally);
        } catch {
          if (failures++ === 0) firstIndex = done;
        }
        done++;
        if (progressEvery > 0 && done % progressEvery === 0) options.onProgress?.(done, failures);
      });
      await fc.assert(counting, { numRuns: sequences, seed });
    } finally {
      LeakDetection.configure(previous);
    }
    const firstFailure = failures === 0 ? null : await shrinkFailure(arbitrary, channels, seed, firstIndex);
    return {
      seed,
      sequences: done,
      failures,
      bbawcSequences,
      rawcSequences: done - bbawcSequences,
      ...tally,
      firstFailure,
      elapsedMs: performance.now() - started,
    };
  } finally {
    unsubscribe();
    drainGcLeaks();
  }
}

/** Replays the `index`-th sequence of `seed` and shrinks it, at level `paranoid` for a full leak report. */
async function shrinkFailure(arbitrary: fc.Arbitrary<SoakCase>, channels: SoakChannels, seed: number, index: number): Promise<SoakFailure> {
  const previous = LeakDetection.configure({ level: 'paranoid' satisfies LeakLevel, exactLedger: true });
  try {
    const strict = fc.asyncProperty(arbitrary, (c) => runSoakCase(c, channels));
    const details = await fc.check(strict, { seed, path: String(index) });
    if (!details.failed || details.counterexample === null) {
      // The failure did not happen again: timing decided it. Say so rather than invent a case.
      return { index, counterexample: null, error: new Error('the failing sequence passed when replayed: its failure depended on timing'), path: String(index) };
    }
    return { index, counterexample: details.counterexample[0], error: details.errorInstance, path: details.counterexamplePath ?? String(index) };
  } finally {
    LeakDetection.configure(previous);
  }
}
