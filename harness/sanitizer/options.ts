/**
 * Settings of the jest leak sanitizer, and the environment variables that set them:
 *
 * | variable | values | default |
 * |---|---|---|
 * | `BYTEBUF_JEST_SANITIZER` | `fail` (a test that leaks fails), `report` (tests pass; the leak reporter fails the run), `off` (the setup file does nothing) | `fail` |
 * | `BYTEBUF_JEST_QUIESCE_MS` | how long, at most, the sanitizer waits after a test (and after a file's tests, for work they left running) for the pending work it started (immediates, timers due within this bound, I/O requests) before it judges; intervals and timers due later are judged at once | `5000` |
 * | `BYTEBUF_JEST_RESOURCES` | `on` (a test fails for a Node resource it left open, a promise-returning operation it did not await, or a `track()`ed resource it did not release), `off` (none of that is recorded or checked) | `on` |
 * | `BYTEBUF_LEAK_DETECTION_LEVEL` | the harness's level (see `harness/tracking/config.ts`); when unset the sanitizer uses `paranoid`, which records creation sites and paths | `paranoid` |
 *
 * `BYTEBUF_JEST_LEAK_RECORDS_DIR` is set by the leak reporter, not by hand: where test workers write
 * their leak records for the reporter to read.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../errors';
import { parseLeakLevel, type LeakLevel } from '../tracking/config';

/** What the sanitizer does with a test that leaked. */
export type SanitizerMode = 'fail' | 'report' | 'off';

/** The modes, in the order the error messages list them. */
export const SANITIZER_MODES: readonly SanitizerMode[] = ['fail', 'report', 'off'];

/** The checks a test can opt out of as a whole (Deno's `sanitizeResources`, `sanitizeOps`). */
export type WholeCheck = 'leaks' | 'misuses' | 'timers' | 'resources';

/**
 * One resource kind of the resources check: a Node kind (`resources:server`, `resources:socket`,
 * `resources:file-handle`, `resources:child-process`, `resources:worker`, `resources:zlib`,
 * `resources:op` for un-awaited operations) or a `track()` kind (`resources:db pool`).
 */
export type ResourceKindCheck = `resources:${string}`;

/** What a test can opt out of: a whole check, or one kind of resource. */
export type SanitizerCheck = WholeCheck | ResourceKindCheck;

/** Every whole check, in report order. */
export const SANITIZER_CHECKS: readonly WholeCheck[] = ['leaks', 'misuses', 'timers', 'resources'];

/** The prefix of a per-kind resource opt-out. */
export const RESOURCE_CHECK_PREFIX = 'resources:';

/** Settings of one sanitizer installation. */
export interface SanitizerOptions {
  /** `fail`: a leaking test fails; `report`: it passes but is recorded, and the reporter fails the run; `off`: no checks. */
  mode: SanitizerMode;
  /**
   * Upper bound, in ms, of the wait for a test's pending work (and, at the end of a file, for the
   * work its tests left running). The wait ends as soon as the work is done: the bound only matters
   * for work that never finishes, so it can be generous.
   */
  quiesceMs: number;
  /** Leak-detection level while tests run; `paranoid` gives creation sites and paths. */
  level: LeakLevel;
  /** Folder the leak reporter reads records from; undefined when no reporter asked for them. */
  recordsDir: string | undefined;
  /**
   * Whether the resources check runs: Node resources left open, operations not awaited, `track()`ed
   * resources not released. Off, nothing of that is recorded (and `track()`ed resources are judged by nothing but the matchers).
   */
  resources: boolean;
}

/** Environment variable names read by `sanitizerOptionsFromEnv`. */
export const SANITIZER_ENV = {
  mode: 'BYTEBUF_JEST_SANITIZER',
  quiesceMs: 'BYTEBUF_JEST_QUIESCE_MS',
  level: 'BYTEBUF_LEAK_DETECTION_LEVEL',
  recordsDir: 'BYTEBUF_JEST_LEAK_RECORDS_DIR',
  resources: 'BYTEBUF_JEST_RESOURCES',
} as const;

/** Defaults used when the environment says nothing. */
export const DEFAULT_SANITIZER_OPTIONS: Readonly<SanitizerOptions> = Object.freeze({
  mode: 'fail',
  quiesceMs: 5000,
  level: 'paranoid',
  recordsDir: undefined,
  resources: true,
});

/** Parses the resources switch: `on` or `off`. */
export function parseResourcesSwitch(value: string, source = 'resources'): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on' || v === 'off') return v === 'on';
  throw new IllegalArgumentException(`Expected ${source} to be one of on, off, got '${value}'`);
}

/** Parses a mode name, with the project's wording for a bad value. */
export function parseSanitizerMode(value: string, source = 'mode'): SanitizerMode {
  const v = value.trim().toLowerCase();
  if ((SANITIZER_MODES as readonly string[]).includes(v)) return v as SanitizerMode;
  throw new IllegalArgumentException(`Expected ${source} to be one of ${SANITIZER_MODES.join(', ')}, got '${value}'`);
}

/** Parses a quiesce bound in ms: an integer from 0 to 60000. */
export function parseQuiesceMs(value: string, source = 'quiesceMs'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 60_000) {
    throw new IllegalArgumentException(`Expected ${source} to be an integer from 0 to 60000, got '${value}'`);
  }
  return n;
}

/**
 * Reads the sanitizer's settings from an environment (default `process.env`). A bad value throws
 * an `IllegalArgumentException` naming the variable: a typo must not silently switch checks off.
 */
export function sanitizerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SanitizerOptions {
  const get = (k: string): string | undefined => (env[k] !== undefined && env[k] !== '' ? env[k] : undefined);
  const mode = get(SANITIZER_ENV.mode);
  const quiesce = get(SANITIZER_ENV.quiesceMs);
  const level = get(SANITIZER_ENV.level);
  const resources = get(SANITIZER_ENV.resources);
  return {
    mode: mode !== undefined ? parseSanitizerMode(mode, SANITIZER_ENV.mode) : DEFAULT_SANITIZER_OPTIONS.mode,
    quiesceMs: quiesce !== undefined ? parseQuiesceMs(quiesce, SANITIZER_ENV.quiesceMs) : DEFAULT_SANITIZER_OPTIONS.quiesceMs,
    level: level !== undefined ? parseLeakLevel(level, SANITIZER_ENV.level) : DEFAULT_SANITIZER_OPTIONS.level,
    recordsDir: get(SANITIZER_ENV.recordsDir),
    resources: resources !== undefined ? parseResourcesSwitch(resources, SANITIZER_ENV.resources) : DEFAULT_SANITIZER_OPTIONS.resources,
  };
}

function isResourceKindCheck(c: unknown): c is ResourceKindCheck {
  return typeof c === 'string' && c.startsWith(RESOURCE_CHECK_PREFIX) && c.slice(RESOURCE_CHECK_PREFIX.length).trim() !== '';
}

/**
 * Parses the checks an opt-out names: one check, a list, or undefined for all of them. Whole
 * checks come first, in report order, then per-kind resource checks in the order given.
 */
export function parseChecks(value: unknown): SanitizerCheck[] {
  if (value === undefined) return [...SANITIZER_CHECKS];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const bad = list.filter((c) => !(SANITIZER_CHECKS as readonly unknown[]).includes(c) && !isResourceKindCheck(c));
  if (list.length === 0 || bad.length > 0) {
    throw new IllegalArgumentException(
      `Expected checks to be one or more of ${SANITIZER_CHECKS.join(', ')}, or resources:<kind>, got ${list.length === 0 ? 'an empty list' : bad.map((b) => `'${String(b)}'`).join(', ')}`,
    );
  }
  const kinds = [...new Set(list.filter(isResourceKindCheck))];
  return [...SANITIZER_CHECKS.filter((c) => list.includes(c)), ...kinds];
}

/**
 * The line a reporter prints when tests ran but no file ran the sanitizer: switched off through
 * the environment (said so, with the variable), or not set up (`setup` tells how to add it).
 */
export function noSanitizerRanHint(setup: string, env: NodeJS.ProcessEnv = process.env): string {
  const mode = env[SANITIZER_ENV.mode]?.trim().toLowerCase();
  if (mode === 'off') return `leak-sanitizer: no test file ran the sanitizer: it is switched off (${SANITIZER_ENV.mode}=off).`;
  return `leak-sanitizer: no test file ran the sanitizer: ${setup}.`;
}
