import { describe, expect, test } from '@jest/globals';
import { ledger } from 'bytebuf-leak-harness';
import { leakSanitizer } from 'bytebuf-leak-harness/jest';
import { PADDING, firstValue } from '../src/frames';

/** A 16-byte entry of `type` whose value is 3 bytes. */
const entryOf = (type: number): Uint8Array => Uint8Array.of(type, 3, 7, 8, 9, ...new Array<number>(11).fill(0));

describe('firstValue', () => {
  test('reads a data entry and releases its buffer', () => {
    expect(leakSanitizer.installed).toBe(true);
    const before = ledger.checkpoint();
    expect(firstValue(entryOf(1))).toEqual([7, 8, 9]);
    expect(ledger).toHaveNoNewLeaksSince(before);
  });

  test('skips a padding entry (leaks its value slice)', () => {
    expect(firstValue(entryOf(PADDING))).toBeNull();
    expect(ledger).toHaveLeaked(1, { site: 'src/frames.ts:15' });
  });
});
