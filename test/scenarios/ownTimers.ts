/**
 * The timers code under test makes, not the process's: watches the global `setTimeout` and
 * `clearTimeout` while `fn` runs, and says how many were made and how many are still pending
 * (neither fired nor cleared) when it returns. Other files' timers in the same jest worker never count.
 */
import { watchTimers } from '../../scripts/soak/timers';

export async function withOwnTimers<T>(fn: () => Promise<T>): Promise<{ result: T; made: number; pending: number }> {
  const watch = watchTimers();
  try {
    const result = await fn();
    return { result, made: watch.made(), pending: watch.live() };
  } finally {
    watch.stop();
  }
}
