import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CallgrindOutputError,
  CallgrindRunError,
  findOnPath,
  parseCallgrindTotals,
  perUnitDifference,
  runChild,
  tail,
  VALGRIND_MISSING,
  workloadCommand,
} from '../../../scripts/bench/instructions/callgrind';

/** The head and end of a real callgrind out file (callgrind 3.19, one event). */
const OUT_FILE = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 13116
cmd:  node --import tsx ./probe.ts 1000
part: 1

desc: Timerange: Basic block 0 - 419032364
desc: Trigger: Program termination

positions: line
events: Ir
summary: 1988489608

fn=(1) 0x0000000000001100
0 5
calls=1 0
0 3

totals: 1988489608
`;

describe('parseCallgrindTotals', () => {
  test("reads the Ir column of the 'totals:' line", () => {
    expect(parseCallgrindTotals(OUT_FILE)).toBe(1_988_489_608);
  });

  test('with several events, takes the column the events line names Ir', () => {
    expect(parseCallgrindTotals('events: Dr Ir Dw\nsummary: 1 2 3\ntotals: 7 123456 9\n')).toBe(123_456);
  });

  test('reads totals, not summary, when they differ', () => {
    expect(parseCallgrindTotals('events: Ir\nsummary: 10\ntotals: 42\n')).toBe(42);
  });

  test.each([
    ['summary: 5\ntotals: 5\n', "Expected an 'events:' and a 'totals:' line in the callgrind output, got no events line"],
    ['events: Ir\nsummary: 5\n', "Expected an 'events:' and a 'totals:' line in the callgrind output, got no totals line"],
    ['events: Dr Dw\ntotals: 1 2\n', 'Expected the event Ir among the callgrind events, got Dr Dw'],
    ['events: Dr Ir\ntotals: 1\n', "Expected an instruction count in column 2 of totals, got '1'"],
    ['events: Ir\ntotals: 12x\n', "Expected an instruction count in column 1 of totals, got '12x'"],
  ])('%j is a CallgrindOutputError', (text, message) => {
    expect(() => parseCallgrindTotals(text)).toThrow(CallgrindOutputError);
    expect(() => parseCallgrindTotals(text)).toThrow(message);
    const error = (() => {
      try {
        parseCallgrindTotals(text);
      } catch (e) {
        return e as CallgrindOutputError;
      }
      return null;
    })();
    expect([error?.name, error?.code]).toEqual(['CallgrindOutputError', 'ERR_CALLGRIND_OUTPUT']);
  });
});

describe('perUnitDifference', () => {
  test('(Ir(n2) - Ir(n1)) / (n2 - n1): start-up and warm-up cancel out', () => {
    // 500 M of start-up, 300 per unit.
    expect(perUnitDifference({ n: 1_000, ir: 500_000_000 + 300 * 1_000 }, { n: 3_000, ir: 500_000_000 + 300 * 3_000 })).toBe(300);
  });

  test('keeps fractions', () => {
    expect(perUnitDifference({ n: 20, ir: 1_000 }, { n: 220, ir: 1_301 })).toBe(1.505);
  });

  test.each([
    [10, 10],
    [20, 10],
  ])('sizes %d then %d are refused', (n1, n2) => {
    expect(() => perUnitDifference({ n: n1, ir: 1 }, { n: n2, ir: 2 })).toThrow(`Expected the second size to be larger than the first, got ${n1} and ${n2}`);
  });
});

describe('findOnPath and the valgrind-missing line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'find-on-path-'));
    writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'tool'), 0o755);
    writeFileSync(path.join(dir, 'plain'), 'not executable');
    chmodSync(path.join(dir, 'plain'), 0o644);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('finds an executable in a folder of PATH, skipping empty entries and folders without it', () => {
    expect(findOnPath('tool', ['', '/nonexistent-folder', dir].join(path.delimiter))).toBe(path.join(dir, 'tool'));
  });

  test('a file that is not executable, an unset or empty PATH: null', () => {
    expect(findOnPath('plain', dir)).toBeNull();
    expect(findOnPath('tool', undefined)).toBeNull();
    expect(findOnPath('tool', '')).toBeNull();
  });

  test('the line names valgrind and the package to install', () => {
    expect(VALGRIND_MISSING).toBe('bench: --instructions counts instructions with valgrind (callgrind), which is not on PATH: install it (apt-get install valgrind)');
  });
});

describe('workloadCommand and tail', () => {
  test('a .ts workload runs single-threaded and predictable under tsx, with its config as JSON and its size', () => {
    expect(workloadCommand('/w/harness-cycle.ts', { work: 'cycle', warmUp: 5 }, 1000)).toEqual([
      'node',
      '--single-threaded',
      '--predictable',
      '--import',
      'tsx',
      '/w/harness-cycle.ts',
      '{"work":"cycle","warmUp":5}',
      '1000',
    ]);
  });

  test('a .js workload runs under plain node, single-threaded and predictable', () => {
    expect(workloadCommand('/w/x.js', {}, 0)).toEqual(['node', '--single-threaded', '--predictable', '/w/x.js', '{}', '0']);
  });

  test('tail keeps the last lines without trailing blank ones', () => {
    expect(tail('a\nb\nc\nd\n\n', 2)).toBe('c\nd');
    expect(tail('only', 15)).toBe('only');
  });
});

describe('runChild', () => {
  test('a child that exits 0 resolves', async () => {
    await expect(runChild([process.execPath, '-e', 'process.stderr.write("ignored\\n")'], os.tmpdir())).resolves.toBeUndefined();
  });

  test("a failing child rejects with its command and its stderr's tail", async () => {
    const script = "for (let i = 1; i <= 20; i++) console.error('line ' + i); process.exit(3)";
    const error = await runChild([process.execPath, '-e', script], os.tmpdir()).catch((e: unknown) => e as CallgrindRunError);
    expect(error).toBeInstanceOf(CallgrindRunError);
    expect([error!.name, error!.code]).toEqual(['CallgrindRunError', 'ERR_CALLGRIND_RUN']);
    expect(error!.command).toBe(`${process.execPath} -e '${script.replace(/'/g, `'\\''`)}'`);
    expect(error!.stderrTail).toBe(Array.from({ length: 15 }, (_, i) => `line ${i + 6}`).join('\n'));
    expect(error!.message).toBe(`exited with 3: ${error!.command}\n${error!.stderrTail}`);
  });

  test('a command that cannot start rejects naming it', async () => {
    const error = await runChild(['/nonexistent/valgrind', '--tool=callgrind'], os.tmpdir()).catch((e: unknown) => e as CallgrindRunError);
    expect(error).toBeInstanceOf(CallgrindRunError);
    expect(error!.message).toBe('could not start: /nonexistent/valgrind --tool=callgrind\nspawn /nonexistent/valgrind ENOENT');
  });
});
