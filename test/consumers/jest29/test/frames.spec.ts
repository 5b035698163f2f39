import { leakSanitizer } from 'bytebuf-leak-harness/jest';
import { ledger } from 'bytebuf-leak-harness';
import { firstLine } from '../src/frames';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text.padEnd(16, '.'));

describe('firstLine under jest 29', () => {
  it('returns a complete line and releases the chunk', () => {
    expect(leakSanitizer.installed).toBe(true);
    expect(firstLine(encode('hello\n'))).toBe('hello');
    expect(ledger).toHaveNoLeaks();
  });

  it('waits for the rest of a line (leaks the slice)', () => {
    expect(firstLine(encode('no newline yet'))).toBeUndefined();
    expect(ledger).toHaveLeaked(1);
  });
});
