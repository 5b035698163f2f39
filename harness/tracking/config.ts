/**
 * Leak-detection settings: Netty's levels and knobs, read once from the environment and changeable
 * at run time. Environment variables (Netty's system property in brackets):
 *
 * | variable | Netty | default |
 * |---|---|---|
 * | `BYTEBUF_LEAK_DETECTION_LEVEL` = disabled, simple, advanced, paranoid | `io.netty.leakDetection.level` | `simple` |
 * | `BYTEBUF_LEAK_DETECTION_TARGET_RECORDS` | `io.netty.leakDetection.targetRecords` | 4 |
 * | `BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL` | `io.netty.leakDetection.samplingInterval` | 128 |
 * | `BYTEBUF_LEAK_DETECTION_SEED` (sampling is seeded: a rerun samples the same buffers) | none | 1 |
 * | `BYTEBUF_LEAK_LEDGER` = 1/true/0/false (exact, GC-free per-scope ledger) | none (like 4.2's `LeakPresenceDetector`) | off |
 * | `BYTEBUF_LEAK_STACK_DEPTH` (frames kept per stack) | none | 24 |
 * | `BYTEBUF_LEAK_RECORDS` = all, ends (`ends`: only the creation and final-release stacks, other operations counted) | none | all |
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';

/** Netty's leak-detection levels, by their lower-case names. */
export type LeakLevel = 'disabled' | 'simple' | 'advanced' | 'paranoid';

/** The levels in increasing order of cost. */
export const LEAK_LEVELS: readonly LeakLevel[] = ['disabled', 'simple', 'advanced', 'paranoid'];

/**
 * Which operations of a tracked buffer get a stack at `advanced` and `paranoid`: `all` (Netty's
 * records), or `ends`: its creation and its final release only, the other operations counted by
 * kind (about 2 stack captures per buffer instead of one per operation).
 */
export type RecordsMode = 'all' | 'ends';

/** The records modes, the default first. */
export const RECORDS_MODES: readonly RecordsMode[] = ['all', 'ends'];

/** A snapshot of the settings. */
export interface LeakDetectionSettings {
  level: LeakLevel;
  targetRecords: number;
  samplingInterval: number;
  seed: number;
  exactLedger: boolean;
  stackDepth: number;
  /** See `RecordsMode`. */
  records: RecordsMode;
}

/** The defaults, as Netty has them; the ledger is off unless switched on. */
export const DEFAULT_SETTINGS: Readonly<LeakDetectionSettings> = Object.freeze({
  level: 'simple',
  targetRecords: 4,
  samplingInterval: 128,
  seed: 1,
  exactLedger: false,
  stackDepth: 24,
  records: 'all',
});

/** Parses a level name (case-insensitive, as Netty accepts `PARANOID` and `paranoid`). */
export function parseLeakLevel(value: string, source = 'level'): LeakLevel {
  const v = value.trim().toLowerCase();
  if ((LEAK_LEVELS as readonly string[]).includes(v)) return v as LeakLevel;
  throw new IllegalArgumentException(
    `Expected ${source} to be one of ${LEAK_LEVELS.join(', ')}, got '${value}'`,
  );
}

/** Parses a records mode (case-insensitive, trimmed); `source` names the setting in the error. */
export function parseRecordsMode(value: string, source = 'records'): RecordsMode {
  const v = String(value).trim().toLowerCase();
  if ((RECORDS_MODES as readonly string[]).includes(v)) return v as RecordsMode;
  throw new IllegalArgumentException(`Expected ${source} to be one of ${RECORDS_MODES.join(', ')}, got '${String(value)}'`);
}

function parseIntSetting(raw: string, name: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new IllegalArgumentException(`Expected ${name} to be an integer >= ${min}, got '${raw}'`);
  }
  return n;
}

function parseBoolSetting(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'off' || v === '') return false;
  throw new IllegalArgumentException(`Expected ${name} to be one of 1, true, 0, false, got '${raw}'`);
}

/**
 * Reads the settings from an environment (default `process.env`). An unparsable value throws an
 * `IllegalArgumentException` naming the variable: a CI job with a typo must not run untracked.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): LeakDetectionSettings {
  const s: LeakDetectionSettings = { ...DEFAULT_SETTINGS };
  const get = (k: string): string | undefined => (env[k] !== undefined && env[k] !== '' ? env[k] : undefined);
  const level = get('BYTEBUF_LEAK_DETECTION_LEVEL');
  if (level !== undefined) s.level = parseLeakLevel(level, 'BYTEBUF_LEAK_DETECTION_LEVEL');
  const target = get('BYTEBUF_LEAK_DETECTION_TARGET_RECORDS');
  if (target !== undefined) s.targetRecords = parseIntSetting(target, 'BYTEBUF_LEAK_DETECTION_TARGET_RECORDS', 1);
  const interval = get('BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL');
  if (interval !== undefined) s.samplingInterval = parseIntSetting(interval, 'BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL', 1);
  const seed = get('BYTEBUF_LEAK_DETECTION_SEED');
  if (seed !== undefined) s.seed = parseIntSetting(seed, 'BYTEBUF_LEAK_DETECTION_SEED', 0);
  const ledger = get('BYTEBUF_LEAK_LEDGER');
  if (ledger !== undefined) s.exactLedger = parseBoolSetting(ledger, 'BYTEBUF_LEAK_LEDGER');
  const depth = get('BYTEBUF_LEAK_STACK_DEPTH');
  if (depth !== undefined) s.stackDepth = parseIntSetting(depth, 'BYTEBUF_LEAK_STACK_DEPTH', 1);
  const records = get('BYTEBUF_LEAK_RECORDS');
  if (records !== undefined) s.records = parseRecordsMode(records, 'BYTEBUF_LEAK_RECORDS');
  return s;
}
