import * as assert from 'node:assert/strict';
import { ledger } from 'bytebuf-leak-harness';
import { describe, test } from 'bytebuf-leak-harness/node-test';
import { VERSION, bodyIfSupported } from '../src/frames';

/** A 16-byte frame of `version` with a 12-byte body. */
function frameOf(version: number): Uint8Array {
  const bytes = new Uint8Array(16).fill(9);
  bytes.set([version, 0, 0, 12]);
  return bytes;
}

describe('bodyIfSupported', () => {
  test('hands out the body of a known version', () => {
    // The drop-in test runs its body in the test's own ledger scope.
    assert.notEqual(ledger.current(), ledger.root);
    const body = bodyIfSupported(frameOf(VERSION));
    assert.equal(body?.readableBytes(), 12);
    body?.release();
    assert.equal(ledger.current().liveCount, 0);
  });

  test('ignores an unknown version (leaks the body slice)', () => {
    assert.equal(bodyIfSupported(frameOf(VERSION + 1)), undefined);
  });
});
