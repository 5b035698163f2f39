/**
 * The `BYTEBUF_*` variables, checked before a command loads the harness. The leak detector reads
 * them when its module loads and throws on a malformed one: loaded first, that is a raw stack and
 * exit 1; checked here first, it is one line naming the variable and exit 2, like a bad option.
 *
 * Only `harness/tracking/config` and `harness/errors` are imported, on purpose: the harness's
 * public entry loads the leak detector, which is what must not happen yet.
 * @packageDocumentation
 */
import { IllegalArgumentException } from '../../harness/errors';
import { settingsFromEnv } from '../../harness/tracking/config';

/** Where the one line goes. */
interface ErrorStream {
  write(text: string): unknown;
}

/**
 * The problem with the leak-detection variables of `env`, as one line without its end
 * (`Expected BYTEBUF_LEAK_LEDGER to be one of 1, true, 0, false, got 'maybe'`), or null when
 * they are all valid (or unset).
 */
export function environmentProblem(env: NodeJS.ProcessEnv): string | null {
  try {
    settingsFromEnv(env);
    return null;
  } catch (error) {
    if (error instanceof IllegalArgumentException) return error.message;
    throw error;
  }
}

/**
 * Checks `env`, then runs `load` (the `import()` of the command's modules). With a malformed
 * variable, found by the check or thrown while loading, prints `<command>: <problem>` on
 * `stderr` and resolves to null: the caller exits 2.
 */
export async function loadWithValidEnvironment<T>(command: string, env: NodeJS.ProcessEnv, stderr: ErrorStream, load: () => Promise<T>): Promise<T | null> {
  const problem = environmentProblem(env);
  if (problem !== null) {
    stderr.write(`${command}: ${problem}\n`);
    return null;
  }
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof IllegalArgumentException)) throw error;
    stderr.write(`${command}: ${error.message.split('\n')[0]}\n`);
    return null;
  }
}
