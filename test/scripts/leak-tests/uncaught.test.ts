import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describeError } from '../../../scripts/leak-tests/uncaught';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** A child tsx process can take tens of seconds on a loaded CI runner. */
const CHILD_TIMEOUT_MS = 60_000;

describe('describeError', () => {
  it('gives the name and the first line of the message', () => {
    expect(describeError(new TypeError('bad\nmore'))).toBe('TypeError: bad');
    expect(describeError('text')).toBe('non-error value thrown: text');
  });
});

describe('uncaught errors while replaying (child process)', () => {
  it('fail the run in progress instead of crashing; outside a run they reach the fatal handler', () => {
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['test/scripts/fixtures/uncaught/run-with-async-errors.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(r.stderr).toBe('');
    const [results, fatal] = r.stdout.trimEnd().split('\n');
    expect(JSON.parse(results!)).toEqual([
      ['fixed', false, ['uncaught exception during the replay: RangeError: thrown from a timer']],
      ['legacy', false, ['uncaught exception during the replay: Error: nobody handles this']],
      ['regression', true, []],
    ]);
    expect(fatal).toBe('fatal: TypeError: after the runs');
    expect(r.status).toBe(1);
  }, CHILD_TIMEOUT_MS + 10_000);
});
