/**
 * The timers code under test makes, not the process's: spies on `setTimeout`/`clearTimeout` while
 * `fn` runs, and says how many were made and how many are still pending (neither fired nor
 * cleared) when it returns. Other files' timers in the same jest worker never count.
 */
export async function withOwnTimers<T>(fn: () => Promise<T>): Promise<{ result: T; made: number; pending: number }> {
  const pending = new Set<unknown>();
  let made = 0;
  const realSetTimeout = global.setTimeout;
  const realClearTimeout = global.clearTimeout;
  const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    made++;
    const timer = realSetTimeout(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    pending.add(timer);
    return timer;
  }) as unknown as typeof setTimeout);
  const clearSpy = jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    pending.delete(timer);
    realClearTimeout(timer);
  });
  try {
    const result = await fn();
    return { result, made, pending: pending.size };
  } finally {
    setSpy.mockRestore();
    clearSpy.mockRestore();
  }
}
