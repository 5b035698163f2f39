/** The score, the equivalence list and the runner's exit code. */
import * as path from 'node:path';
import { loadMutants } from '../../scripts/mutants/mutant';
import { exitCodeOf, loadEquivalents, score, summaryLine } from '../../scripts/mutants/score';
import type { Verdict } from '../../scripts/mutants/verdict';

const caught: Verdict = { status: 'caught', by: 'x (fixed)' };
const survived: Verdict = { status: 'survived' };

function verdicts(n: number, survivors: string[]): Map<string, Verdict> {
  const map = new Map<string, Verdict>();
  for (let i = 0; i < n; i++) map.set(`m${i}`, caught);
  for (const s of survivors) map.set(s, survived);
  return map;
}

describe('score', () => {
  it('counts, the share caught, and the survivors equivalent.json does not list', () => {
    const s = score(verdicts(19, ['s1', 's2']), [{ id: 's1', reason: 'r' }]);
    expect(s).toEqual({ caught: 19, survived: 2, ratio: 19 / 21, unlisted: ['s2'], staleEquivalents: [] });
    expect(summaryLine(s)).toBe('mutants: 19 caught, 2 survived (90.5%)');
  });

  it('an equivalent that was caught is stale', () => {
    expect(score(verdicts(2, []), [{ id: 'm1', reason: 'r' }]).staleEquivalents).toEqual(['m1']);
  });
});

describe('exitCodeOf', () => {
  it('0 at 95% with every survivor listed', () => {
    expect(exitCodeOf(score(verdicts(19, ['s']), [{ id: 's', reason: 'r' }]), false)).toBe(0);
  });

  it('1 below 95% even when every survivor is listed', () => {
    expect(exitCodeOf(score(verdicts(18, ['s', 't']), [{ id: 's', reason: 'r' }, { id: 't', reason: 'r' }]), false)).toBe(1);
  });

  it('1 for a survivor that is not listed, whatever the score', () => {
    expect(exitCodeOf(score(verdicts(99, ['s']), []), false)).toBe(1);
    expect(exitCodeOf(score(verdicts(0, ['s']), []), true)).toBe(1);
  });

  it('with --only, the score alone does not fail the run', () => {
    expect(exitCodeOf(score(verdicts(1, ['s']), [{ id: 's', reason: 'r' }]), true)).toBe(0);
  });
});

describe('equivalent.json', () => {
  const dir = path.resolve(__dirname, '..', '..', 'scenarios', 'mutants');
  it('lists existing mutants, each with a reason', () => {
    const ids = new Set(loadMutants(dir).map((m) => m.id));
    const equivalents = loadEquivalents(path.join(dir, 'equivalent.json'));
    expect(equivalents.filter((e) => !ids.has(e.id))).toEqual([]);
    expect(equivalents.every((e) => e.reason.length > 40)).toBe(true);
  });
});
