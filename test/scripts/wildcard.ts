/**
 * Deno-style golden matching: `[WILDCARD]` in the expected text matches any text (newlines
 * included, as little as possible before the next literal part).
 */

export const WILDCARD = '[WILDCARD]';

/** Where `actual` stops matching `pattern`, or null when it matches whole. */
export function wildcardMismatch(actual: string, pattern: string): string | null {
  const parts = pattern.split(WILDCARD);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    let found: number;
    if (i === 0) found = actual.startsWith(part) ? 0 : -1;
    else if (last) found = actual.endsWith(part) && actual.length - part.length >= at ? actual.length - part.length : -1;
    else found = actual.indexOf(part, at);
    if (found < 0) {
      return `expected part ${i + 1} of ${parts.length}:\n${part}\n--- at offset ${at} of the actual text:\n${actual.slice(at, at + part.length + 200)}`;
    }
    at = found + part.length;
  }
  return parts.length === 1 && actual !== pattern ? 'texts differ' : null;
}
