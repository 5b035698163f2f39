/**
 * Progress for long runs, on stderr (stdout carries the report). A short run prints nothing. On a
 * TTY, from {@link PROGRESS_AFTER_MS} on, one line rewritten in place (`[12/81] name [version]`)
 * and erased before the report; elsewhere (CI logs), from {@link PLAIN_EVERY_MS} on, a plain line
 * at most every {@link PLAIN_EVERY_MS}. No timers: it updates when a run starts or ends, so it can
 * never keep the process alive.
 * @packageDocumentation
 */

/** The TTY line appears once this much time has passed. */
export const PROGRESS_AFTER_MS = 500;
/** Minimum time between two TTY updates. */
const TTY_EVERY_MS = 80;
/** The first plain progress line comes after this long, and the next ones at least this far apart. */
export const PLAIN_EVERY_MS = 2000;

/** Where progress goes: a writable with an `isTTY` and `columns`, like `process.stderr`. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Receives the runner's events. */
export interface Progress {
  /** A run starts: `done` runs of `total` have finished. */
  runStarted(label: string, done: number, total: number): void;
  /** A run ended. */
  runEnded(done: number, total: number, failed: number): void;
  /** Erases the TTY line (before the report is printed). */
  finish(): void;
}

/** A progress display on `stream`; `now` is injectable for tests. */
export function createProgress(stream: ProgressStream, now: () => number = Date.now): Progress {
  const start = now();
  let lastWrite = -Infinity;
  let lineShown = false;
  const due = (after: number, every: number): boolean => {
    const t = now();
    if (t - start < after || t - lastWrite < every) return false;
    lastWrite = t;
    return true;
  };
  const seconds = (): string => `${((now() - start) / 1000).toFixed(1)} s`;
  if (stream.isTTY === true) {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    return {
      runStarted(label, done, total) {
        if (!due(PROGRESS_AFTER_MS, TTY_EVERY_MS)) return;
        const text = `leak-tests [${done}/${total}] ${seconds()} ${label}`;
        stream.write(`\r\x1b[K${text.length > width ? text.slice(0, width) : text}`);
        lineShown = true;
      },
      runEnded() {},
      finish() {
        if (lineShown) stream.write('\r\x1b[K');
        lineShown = false;
      },
    };
  }
  return {
    runStarted() {},
    runEnded(done, total, failed) {
      if (done < total && due(PLAIN_EVERY_MS, PLAIN_EVERY_MS)) stream.write(`leak-tests: ${done}/${total} runs done, ${failed} failed so far (${seconds()})\n`);
    },
    finish() {},
  };
}

/** A progress that shows nothing. */
export const NO_PROGRESS: Progress = { runStarted() {}, runEnded() {}, finish() {} };
