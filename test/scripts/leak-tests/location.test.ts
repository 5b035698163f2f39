import { failureLocation } from '../../../scripts/leak-tests/location';
import { leakReport, scenario } from '../fake-engine';

const s = scenario('x'); // file cases/bug/x.json, steps at lines 7, 12, 15
const observed = { leaks: 0, leakBytes: 0, overReleases: 0, unacknowledgedWrites: 0, doubleAcknowledgedWrites: 0, failedExpectations: [] as string[] };
const noLeaks = leakReport('x [legacy]', 0);

describe('failureLocation', () => {
  it('takes the first failed expectation that names the scenario file', () => {
    const o = { ...observed, failedExpectations: ['step 2 (expectCallback) at cases/bug/x.json:15: expected 100, got 0'] };
    expect(failureLocation(s, o, leakReport('x', 1), [])).toEqual({ file: 'cases/bug/x.json', line: 15 });
  });

  it("then a mismatch or the error naming the file, then the leaked buffer's step hint", () => {
    expect(failureLocation(s, observed, noLeaks, ['write at cases/bug/x.json:12 was acknowledged twice'])).toEqual({ file: 'cases/bug/x.json', line: 12 });
    expect(failureLocation(s, { ...observed, error: 'step 1 (getNextChunk) at cases/bug/x.json:9: TypeError: boom' }, noLeaks, [])).toEqual({
      file: 'cases/bug/x.json',
      line: 9,
    });
    expect(failureLocation(s, observed, leakReport('x', 2, 'cases/bug/x.json'), [])).toEqual({ file: 'cases/bug/x.json', line: 12 });
  });

  it('ignores locations in other files, and falls back to the first step', () => {
    const o = { ...observed, failedExpectations: ['step 2 at channel/other.ts:99: expected 1'] };
    expect(failureLocation(s, o, leakReport('x', 1, 'somewhere/else.json'), [])).toEqual({ file: 'cases/bug/x.json', line: 7 });
    expect(failureLocation({ ...s, stepLines: [] }, observed, noLeaks, [])).toEqual({ file: 'cases/bug/x.json', line: 1 });
  });
});
