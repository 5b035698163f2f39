import { formatInstructionTable, formatIr, rowCells, TABLE_HEADER } from '../../../scripts/bench/instructions/table';
import { formatMarkdownTable } from '../../../scripts/bench/lib/table';

describe('the instruction table', () => {
  test('Ir per unit: rounded, with thousands separators', () => {
    expect([formatIr(0), formatIr(999.4), formatIr(1234.5), formatIr(374_123_456.2)]).toEqual(['0', '999', '1,235', '374,123,456']);
  });

  test('a row: subject / baseline, the goal and whether it is met', () => {
    expect(rowCells({ name: 'ledger vs disabled', unit: 'cycle', baselinePerUnit: 2000, subjectPerUnit: 2600, goal: 1.3 })).toEqual([
      'ledger vs disabled (per cycle)',
      '2,000',
      '2,600',
      '1.30x',
      '<= 1.3x',
      'yes',
    ]);
    expect(rowCells({ name: 'ledger vs disabled', unit: 'cycle', baselinePerUnit: 2000, subjectPerUnit: 2602, goal: 1.3 }).slice(3)).toEqual(['1.30x', '<= 1.3x', 'NO']);
  });

  test('a row without a goal shows a dash and no verdict', () => {
    expect(rowCells({ name: 'paranoid vs disabled', unit: 'cycle', baselinePerUnit: 3000, subjectPerUnit: 375_000, goal: null }).slice(3)).toEqual(['125.00x', '-', '']);
  });

  test('the whole table, exactly', () => {
    const text = formatInstructionTable([
      { name: 'a', unit: 'record', baselinePerUnit: 70_000, subjectPerUnit: 98_000, goal: 1.1 },
      { name: 'channel vs queue', unit: 'chunk', baselinePerUnit: 1500, subjectPerUnit: 1800, goal: 1.5 },
    ]);
    expect(text.split('\n')).toEqual([
      '| comparison                   | baseline Ir/unit | subject Ir/unit | ratio | goal    | met? |',
      '|------------------------------|------------------|-----------------|-------|---------|------|',
      '| a (per record)               | 70,000           | 98,000          | 1.40x | <= 1.1x | NO   |',
      '| channel vs queue (per chunk) | 1,500            | 1,800           | 1.20x | <= 1.5x | yes  |',
    ]);
    expect(TABLE_HEADER).toEqual(['comparison', 'baseline Ir/unit', 'subject Ir/unit', 'ratio', 'goal', 'met?']);
  });
});

describe('formatMarkdownTable', () => {
  test('pads every column to its widest cell', () => {
    expect(formatMarkdownTable([['x', 'long header'], ['wide cell', '1']])).toBe('| x         | long header |\n|-----------|-------------|\n| wide cell | 1           |');
  });

  test('a table with only its header', () => {
    expect(formatMarkdownTable([['a', 'b']])).toBe('| a | b |\n|---|---|');
  });

  test('no rows at all is refused', () => {
    expect(() => formatMarkdownTable([])).toThrow('Expected a header row, got no rows');
  });
});
