/**
 * Small pieces every runner adapter needs in the same form, so the vitest, node:test and mocha
 * adapters name tests, time their checks and fail a file the same way the jest adapter does.
 * @packageDocumentation
 */
import type { LeakSanitizerError } from './errors';
import type { SanitizerOptions } from './options';

/** How a test's name joins its blocks' names: `outer › inner › test`, as jest prints it and as reports show it. */
export const TEST_NAME_SEPARATOR = ' › ';

/** The report name of a test declared in blocks `titles` (outermost first), empty titles left out. */
export function testNameOf(titles: readonly string[]): string {
  return titles.filter((t) => t !== '').join(TEST_NAME_SEPARATOR);
}

/**
 * The timeout to give a runner's hook that runs a check: above the quiesce bound the check may
 * wait, with a margin for a slow, shared machine.
 */
export function checkTimeoutMs(options: Readonly<SanitizerOptions>): number {
  return options.quiesceMs + 60_000;
}

/** The one error to fail a file with for `errors` (undefined when there are none). */
export function fileFailure(errors: readonly LeakSanitizerError[]): Error | undefined {
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map((e) => e.message).join('\n\n'));
}
