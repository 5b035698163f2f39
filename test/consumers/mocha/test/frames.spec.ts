import { strict as assert } from 'node:assert';
import { leakSanitizer } from 'bytebuf-leak-harness/mocha';
import { Reassembler } from '../src/frames';

/** A 16-byte fragment: the continuation byte, then 15 bytes of `fill`. */
const fragment = (more: boolean, fill: number): Uint8Array => Uint8Array.of(more ? 1 : 0, ...new Array<number>(15).fill(fill));

describe('Reassembler', function () {
  it('joins the fragments of a message and releases them', function () {
    assert.equal(leakSanitizer.installed, true);
    const r = new Reassembler();
    assert.equal(r.addFragment(fragment(true, 1)), undefined);
    assert.deepEqual(r.addFragment(fragment(false, 2)), Uint8Array.of(...new Array<number>(15).fill(1), ...new Array<number>(15).fill(2)));
  });

  it('drops a message in progress on reset (leaks its fragment)', function () {
    const r = new Reassembler();
    r.addFragment(fragment(true, 1));
    r.reset();
  });
});
