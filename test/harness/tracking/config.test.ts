/** Settings: Netty's levels and knobs from the environment, and run-time changes, with exact error messages. */
import {
  DEFAULT_SETTINGS,
  IllegalArgumentException,
  LEAK_LEVELS,
  LeakDetection,
  parseLeakLevel,
  settingsFromEnv,
} from '../../../harness';

describe('settingsFromEnv', () => {
  it('gives Netty\'s defaults for an empty environment, the ledger off', () => {
    expect(settingsFromEnv({})).toEqual({ level: 'simple', targetRecords: 4, samplingInterval: 128, seed: 1, exactLedger: false, stackDepth: 24, records: 'all' });
    expect(settingsFromEnv({})).toEqual(DEFAULT_SETTINGS);
  });

  it('reads every variable; levels are case-insensitive like Netty\'s; an empty value is unset', () => {
    expect(
      settingsFromEnv({
        BYTEBUF_LEAK_DETECTION_LEVEL: 'PARANOID',
        BYTEBUF_LEAK_DETECTION_TARGET_RECORDS: '10',
        BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL: '64',
        BYTEBUF_LEAK_DETECTION_SEED: '0',
        BYTEBUF_LEAK_LEDGER: 'true',
        BYTEBUF_LEAK_STACK_DEPTH: '40',
        BYTEBUF_LEAK_RECORDS: 'Ends',
      }),
    ).toEqual({ level: 'paranoid', targetRecords: 10, samplingInterval: 64, seed: 0, exactLedger: true, stackDepth: 40, records: 'ends' });
    expect(settingsFromEnv({ BYTEBUF_LEAK_DETECTION_LEVEL: '', BYTEBUF_LEAK_LEDGER: '' })).toEqual(DEFAULT_SETTINGS);
    expect(['1', 'on', 'YES'].map((v) => settingsFromEnv({ BYTEBUF_LEAK_LEDGER: v }).exactLedger)).toEqual([true, true, true]);
    expect(['0', 'off', 'No'].map((v) => settingsFromEnv({ BYTEBUF_LEAK_LEDGER: v }).exactLedger)).toEqual([false, false, false]);
  });

  it.each<[Record<string, string>, string]>([
    [{ BYTEBUF_LEAK_DETECTION_LEVEL: 'verbose' }, "Expected BYTEBUF_LEAK_DETECTION_LEVEL to be one of disabled, simple, advanced, paranoid, got 'verbose'"],
    [{ BYTEBUF_LEAK_DETECTION_TARGET_RECORDS: '0' }, "Expected BYTEBUF_LEAK_DETECTION_TARGET_RECORDS to be an integer >= 1, got '0'"],
    [{ BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL: 'abc' }, "Expected BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL to be an integer >= 1, got 'abc'"],
    [{ BYTEBUF_LEAK_DETECTION_SEED: '-1' }, "Expected BYTEBUF_LEAK_DETECTION_SEED to be an integer >= 0, got '-1'"],
    [{ BYTEBUF_LEAK_LEDGER: 'maybe' }, "Expected BYTEBUF_LEAK_LEDGER to be one of 1, true, 0, false, got 'maybe'"],
    [{ BYTEBUF_LEAK_STACK_DEPTH: '2.5' }, "Expected BYTEBUF_LEAK_STACK_DEPTH to be an integer >= 1, got '2.5'"],
    [{ BYTEBUF_LEAK_RECORDS: 'some' }, "Expected BYTEBUF_LEAK_RECORDS to be one of all, ends, got 'some'"],
  ])('rejects %j with a typed error naming the variable', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(new IllegalArgumentException(message));
  });
});

describe('parseLeakLevel', () => {
  it('accepts the four levels in any case, trimmed', () => {
    expect(LEAK_LEVELS).toEqual(['disabled', 'simple', 'advanced', 'paranoid']);
    expect([' Advanced ', 'DISABLED'].map((v) => parseLeakLevel(v))).toEqual(['advanced', 'disabled']);
    expect(() => parseLeakLevel('loud')).toThrow("Expected level to be one of disabled, simple, advanced, paranoid, got 'loud'");
  });
});

describe('LeakDetection.configure', () => {
  it('returns the previous settings, and restoring them restores everything', () => {
    const original = LeakDetection.settings();
    const previous = LeakDetection.configure({ level: 'advanced', targetRecords: 7, exactLedger: true });
    expect(previous).toEqual(original);
    expect(LeakDetection.settings()).toEqual({ ...original, level: 'advanced', targetRecords: 7, exactLedger: true });
    expect([LeakDetection.level, LeakDetection.exactLedger]).toEqual(['advanced', true]);
    LeakDetection.configure(previous);
    expect(LeakDetection.settings()).toEqual(original);
  });

  it.each<[object, string]>([
    [{ level: 'loud' }, "Expected level to be one of disabled, simple, advanced, paranoid, got 'loud'"],
    [{ targetRecords: 0 }, 'Expected targetRecords to be an integer >= 1, got 0'],
    [{ samplingInterval: 1.5 }, 'Expected samplingInterval to be an integer >= 1, got 1.5'],
    [{ stackDepth: -3 }, 'Expected stackDepth to be an integer >= 1, got -3'],
  ])('rejects %j and keeps the settings it had', (change, message) => {
    const before = LeakDetection.settings();
    expect(() => LeakDetection.configure(change)).toThrow(new IllegalArgumentException(message));
    expect(LeakDetection.settings()).toEqual(before);
  });
});
