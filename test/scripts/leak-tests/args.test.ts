import { parseArgs, type LeakTestsOptions } from '../../../scripts/leak-tests/args';
import { UsageError } from '../../../scripts/leak-tests/errors';

const DEFAULTS: LeakTestsOptions = {
  channels: [],
  scenarioPaths: [],
  targets: [],
  steps: [],
  withBuiltin: false,
  filters: [],
  format: 'text',
  level: 'paranoid',
  timeoutMs: 60_000,
  verbose: false,
};

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
}

describe('parseArgs', () => {
  it('defaults: built-in scenarios, every version, text, paranoid', () => {
    expect(parseArgs([])).toEqual({ command: 'run', options: DEFAULTS });
  });

  it('reads every option, in both --opt value and --opt=value forms', () => {
    const parsed = parseArgs([
      '--channel', 'legacy', '--channel=fixed', '--scenario', 'my-dir', '--scenario=one.json', '--with-builtin',
      '--filter', 'closed', '--filter=bytebuf', '--format=json', '--json', 'out/r.json', '--junit', 'out/j.xml',
      '--level', 'simple', '--shard', '2/3', '--verbose', '--timeout', '1.5s', '--target', 'a.ts', '--target=b.js', '--target', 'a.ts', '--steps', 's.ts',
    ]);
    expect(parsed).toEqual({
      command: 'run',
      options: {
        channels: ['legacy', 'fixed'],
        scenarioPaths: ['my-dir', 'one.json'],
        targets: ['a.ts', 'b.js'],
        steps: ['s.ts'],
        withBuiltin: true,
        filters: ['closed', 'bytebuf'],
        format: 'json',
        jsonFile: 'out/r.json',
        junitFile: 'out/j.xml',
        level: 'simple',
        timeoutMs: 1500,
        shard: { index: 2, count: 3 },
        verbose: true,
      },
    });
  });

  it('accepts levels and versions in any case, normalised to lower case, and drops repeated versions', () => {
    const parsed = parseArgs(['--level', 'PARANOID', '--channel', 'Legacy', '--channel', 'legacy']);
    expect(parsed).toEqual({ command: 'run', options: { ...DEFAULTS, level: 'paranoid', channels: ['legacy'] } });
  });

  it('the level defaults to BYTEBUF_LEAK_DETECTION_LEVEL, and --level wins over it', () => {
    const env = { BYTEBUF_LEAK_DETECTION_LEVEL: 'Advanced' };
    expect(parseArgs([], env)).toEqual({ command: 'run', options: { ...DEFAULTS, level: 'advanced' } });
    expect(parseArgs(['--level', 'simple'], env)).toEqual({ command: 'run', options: { ...DEFAULTS, level: 'simple' } });
    expect(parseArgs(['--level=disabled'], { BYTEBUF_LEAK_DETECTION_LEVEL: 'bogus' })).toEqual({ command: 'run', options: { ...DEFAULTS, level: 'disabled' } });
    expect(parseArgs([], { BYTEBUF_LEAK_DETECTION_LEVEL: '' })).toEqual({ command: 'run', options: DEFAULTS });
    expect(parseArgs([], {})).toEqual({ command: 'run', options: DEFAULTS });
  });

  it('a malformed level in the environment, with no --level, is a usage error naming the variable', () => {
    expect(() => parseArgs([], { BYTEBUF_LEAK_DETECTION_LEVEL: 'loud' })).toThrow(
      new UsageError('Expected `BYTEBUF_LEAK_DETECTION_LEVEL` to be one of disabled, simple, advanced, paranoid, got `loud`'),
    );
  });

  it.each([
    ['200ms', 200],
    ['200', 200],
    ['30s', 30_000],
    ['0.25s', 250],
    ['2147483647', 2_147_483_647],
  ])('--timeout %s is %d ms', (value, ms) => {
    expect(parseArgs(['--timeout', value])).toEqual({ command: 'run', options: { ...DEFAULTS, timeoutMs: ms } });
  });

  it('--help and -h win over everything else, even bad options', () => {
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseArgs(['--level', 'x', '-h'])).toEqual({ command: 'help' });
  });

  it.each([
    [['--level', 'x'], 'Expected `--level` to be one of disabled, simple, advanced, paranoid, got `x`'],
    [['--level=verbose'], 'Expected `--level` to be one of disabled, simple, advanced, paranoid, got `verbose`'],
    [['--channel', 'beta'], 'Expected `--channel` to be one of fixed, legacy, regression, got `beta`'],
    [['--format', 'xml'], 'Expected `--format` to be one of text, json, got `xml`'],
    [['--shard', '3/2'], 'Expected `--shard` to be i/n with whole numbers 1 <= i <= n, got `3/2`'],
    [['--shard', '0/2'], 'Expected `--shard` to be i/n with whole numbers 1 <= i <= n, got `0/2`'],
    [['--shard', 'half'], 'Expected `--shard` to be i/n with whole numbers 1 <= i <= n, got `half`'],
    [['--shard', '1/0'], 'Expected `--shard` to be i/n with whole numbers 1 <= i <= n, got `1/0`'],
    [['--json'], 'Expected `--json` to be followed by a file path, got nothing'],
    [['--junit', '--verbose'], 'Expected `--junit` to be followed by a file path, got `--verbose`'],
    [['--scenario'], 'Expected `--scenario` to be followed by a file or directory, got nothing'],
    [['--filter='], 'Expected `--filter` to be followed by a text, got an empty value'],
    [['--channel'], 'Expected `--channel` to be followed by a channel version, got nothing'],
    [['--level'], 'Expected `--level` to be followed by a level, got nothing'],
    [['--shard'], 'Expected `--shard` to be followed by i/n, got nothing'],
    [['--format'], 'Expected `--format` to be followed by a format, got nothing'],
    [['--format', 'text', '--format', 'json'], 'Expected `--format` at most once, got `text`, `json`'],
    [['--json', 'a.json', '--json=b.json'], 'Expected `--json` at most once, got `a.json`, `b.json`'],
    [['--verbose', '--verbose'], 'Expected `--verbose` at most once, got it twice'],
    [['--verbose=yes'], 'Expected `--verbose` to have no value, got `yes`'],
    [['--with-builtin'], 'Expected `--with-builtin` together with `--scenario <file-or-dir>` (the built-in scenarios run by default)'],
    [['--fitler', 'x'], 'Unknown option `--fitler`, did you mean `--filter`? (run with --help for the options)'],
    [['--junitt=a.xml'], 'Unknown option `--junitt`, did you mean `--junit`? (run with --help for the options)'],
    [['--frobnicate'], 'Unknown option `--frobnicate` (run with --help for the options)'],
    [['-v'], 'Unknown option `-v` (run with --help for the options)'],
    [['--timeout', '0'], 'Expected `--timeout` to be a duration from 1ms to 2147483647ms, such as 500ms, 30s or 60000 (ms), got `0`'],
    [['--timeout=5m'], 'Expected `--timeout` to be a duration from 1ms to 2147483647ms, such as 500ms, 30s or 60000 (ms), got `5m`'],
    [['--timeout', '2147483648'], 'Expected `--timeout` to be a duration from 1ms to 2147483647ms, such as 500ms, 30s or 60000 (ms), got `2147483648`'],
    [['--timeout'], 'Expected `--timeout` to be followed by a duration, got nothing'],
    [['my-dir'], 'Unexpected argument `my-dir`: pass scenario files with `--scenario <file-or-dir>`'],
  ])('%j is a usage error: %s', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toBe(message);
    expect(error.name).toBe('UsageError');
    expect(error.code).toBe('ERR_LEAK_TESTS_USAGE');
  });
});
