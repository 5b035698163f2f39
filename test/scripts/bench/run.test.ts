import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { COMPARISONS, sectionsOf, type Comparison, type Measurement } from '../../../scripts/bench/instructions/comparisons';
import { measurementsOf, pickComparisons, runInstructions, sidePerUnit } from '../../../scripts/bench/instructions/run';

const WORKLOADS = path.resolve(__dirname, '../../../scripts/bench/instructions/workloads');

const m = (workload: string, config: object, sizes: [number, number] = [1, 2]): Measurement => ({ workload, config, sizes });
const A = m('a.ts', { x: 1 });
const B = m('b.ts', {});
const C = m('a.ts', { x: 2 });
const row = (name: string, section: string, subject: Comparison['subject'], baseline: Comparison['baseline']): Comparison => ({
  name,
  section,
  unit: 'unit',
  subject,
  baseline,
  goal: null,
});
const LIST = [row('one', 's1', { measure: A }, { measure: B }), row('two', 's2', { measure: C, minus: A, per: 5 }, { measure: B }), row('three', 's1', { measure: B }, { measure: A })];

describe('picking the comparisons', () => {
  test('no section named: all of them', () => {
    expect(pickComparisons([], LIST)).toEqual(LIST);
  });

  test('the sections named, in the list order', () => {
    expect((pickComparisons(['s1'], LIST) as Comparison[]).map((c) => c.name)).toEqual(['one', 'three']);
  });

  test('an unknown section: the line naming the known ones and the unknown', () => {
    expect(pickComparisons(['s2', 'nope', 'x'], LIST)).toBe('bench: Expected --instructions sections among s1, s2, got nope, x');
  });

  test('a measurement shared by rows runs once', () => {
    expect(measurementsOf(LIST)).toEqual([A, B, C]);
    expect(measurementsOf([LIST[0]!])).toEqual([A, B]);
  });
});

describe('a side per unit', () => {
  const perUnit = (x: Measurement): number => (x === A ? 1_000 : x === C ? 6_000 : 10);

  test('a measurement alone', () => {
    expect(sidePerUnit({ measure: A }, perUnit)).toBe(1_000);
  });

  test('less another, per its units (5 records a cycle)', () => {
    expect(sidePerUnit({ measure: C, minus: A, per: 5 }, perUnit)).toBe(1_000);
  });
});

describe('the comparisons of the bench', () => {
  test('the sections', () => {
    expect(sectionsOf(COMPARISONS)).toEqual(['harness', 'promises', 'channel-per-chunk', 'jest', 'sanitizer']);
  });

  test('the performance goals, one row each', () => {
    expect(COMPARISONS.filter((c) => c.goal !== null).map((c) => [c.section, c.unit, c.goal])).toEqual([
      ['harness', 'record', 1.1],
      ['harness', 'cycle', 0.5],
      ['harness', 'cycle', 1.3],
      ['harness', 'cycle', 1.1],
      ['promises', 'step', 1.1],
      ['channel-per-chunk', 'chunk', 1.5],
      ['jest', 'test', 1.1],
    ]);
  });

  test('every workload exists, and every measurement has two ascending sizes', () => {
    for (const x of measurementsOf(COMPARISONS)) {
      expect(existsSync(path.join(WORKLOADS, x.workload))).toBe(true);
      expect(x.sizes[1]).toBeGreaterThan(x.sizes[0]);
    }
  });
});

describe('runInstructions without valgrind', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  test('prints the one line naming what to install and gives 2', async () => {
    process.env.PATH = '/nonexistent-folder';
    const out: string[] = [];
    const err: string[] = [];
    await expect(runInstructions([], { out: (l) => out.push(l), err: (l) => err.push(l) })).resolves.toBe(2);
    expect(err).toEqual(['bench: --instructions counts instructions with valgrind (callgrind), which is not on PATH: install it (apt-get install valgrind)']);
    expect(out).toEqual([]);
  });
});
