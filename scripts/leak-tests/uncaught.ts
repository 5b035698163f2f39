/**
 * One process-level handler for uncaught exceptions and unhandled rejections. While the runner
 * replays, they are handed to a sink that blames the run in progress (a channel callback throwing
 * from a timer must fail that run, not crash the process with a stack dump); otherwise to the
 * fatal handler, which prints one line and exits.
 * @packageDocumentation
 */

/** Takes an error; returns false to pass it on to the fatal handler. */
type Sink = (error: unknown) => boolean;
type Fatal = (error: unknown) => void;

let sink: Sink | null = null;
let fatal: Fatal = () => undefined;
let installed = false;

/** Installs the handlers once; `onFatal` gets errors raised while no sink is set. */
export function installUncaughtHandlers(onFatal: Fatal): void {
  fatal = onFatal;
  if (installed) return;
  installed = true;
  const dispatch = (error: unknown): void => {
    if (sink === null || !sink(error)) fatal(error);
  };
  process.on('uncaughtException', dispatch);
  process.on('unhandledRejection', dispatch);
}

/** Routes uncaught errors to `next` first (null: straight to the fatal handler). */
export function setUncaughtSink(next: Sink | null): void {
  sink = next;
}

/** `Name: message` (first line only), for an unknown thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return `non-error value thrown: ${String(error)}`;
}
