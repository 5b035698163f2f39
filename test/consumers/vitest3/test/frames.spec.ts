import { describe, expect, test } from 'vitest';
import { leakSanitizer } from 'bytebuf-leak-harness/vitest';
import { verifiedPayload } from '../src/frames.js';

/** A 16-byte packet: 15 payload bytes of 1, then `trailer`. */
const packet = (trailer: number): Uint8Array => Uint8Array.of(...new Array<number>(15).fill(1), trailer);

describe('verifiedPayload', () => {
  test('hands over a verified payload, which the caller releases', () => {
    expect(leakSanitizer.installed).toBe(true);
    const payload = verifiedPayload(packet(15));
    expect(payload).not.toBeNull();
    expect(payload).toHaveRefCnt(1);
    payload?.release();
  });

  test('rejects a bad checksum (leaks the payload slice)', () => {
    expect(verifiedPayload(packet(0))).toBeNull();
  });
});
