/**
 * Ending a command without losing its output. Node writes to a pipe asynchronously: what does not
 * fit in the pipe's buffer (64 KiB) waits in the process, and `process.exit()` drops it. A command
 * that must exit even with handles left open (the runner, after a scenario left a timer) waits
 * for its streams first.
 * @packageDocumentation
 */

/** A stream the process writes its output to, like `process.stdout`. */
export interface OutputStream {
  write(text: string, callback: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

/**
 * Exits with `code` once every stream has handed what was written to it to the operating system,
 * whatever handles are still open. `process.exitCode` is set at once, so an exit by other means
 * (the event loop running out) ends with the same code.
 */
export function exitWhenFlushed(code: number, streams: readonly OutputStream[] = [process.stdout, process.stderr]): void {
  process.exitCode = code;
  let pending = streams.length;
  const flushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  if (pending === 0) process.exit(code);
  for (const stream of streams) {
    if (stream.destroyed === true) {
      flushed();
      continue;
    }
    // A reader that went away (`| head`) fails the write with EPIPE: nothing more can be
    // delivered, so that stream counts as flushed rather than as an uncaught error.
    stream.on('error', () => undefined);
    // Writes complete in order: the callback of this empty write runs after every earlier one.
    stream.write('', flushed);
  }
}
