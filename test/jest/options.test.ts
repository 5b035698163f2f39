/**
 * The sanitizer's settings from the environment, and the argument checks of its test-file API.
 */
import {
  DEFAULT_SANITIZER_OPTIONS,
  leakSanitizer,
  parseQuiesceMs,
  parseSanitizerMode,
  sanitizerOptionsFromEnv,
} from '../../harness/jest';
import { parseChecks } from '../../harness/sanitizer/options';

describe('sanitizerOptionsFromEnv', () => {
  test('defaults: fail, 5000 ms, paranoid, no records folder, resources on', () => {
    expect(sanitizerOptionsFromEnv({})).toEqual({ mode: 'fail', quiesceMs: 5000, level: 'paranoid', recordsDir: undefined, resources: true });
    expect(DEFAULT_SANITIZER_OPTIONS).toEqual({ mode: 'fail', quiesceMs: 5000, level: 'paranoid', recordsDir: undefined, resources: true });
  });

  test('reads every variable; empty values count as unset', () => {
    expect(
      sanitizerOptionsFromEnv({
        BYTEBUF_JEST_SANITIZER: 'Report',
        BYTEBUF_JEST_QUIESCE_MS: '250',
        BYTEBUF_LEAK_DETECTION_LEVEL: 'SIMPLE',
        BYTEBUF_JEST_LEAK_RECORDS_DIR: '/tmp/records',
        BYTEBUF_JEST_RESOURCES: ' OFF ',
      }),
    ).toEqual({ mode: 'report', quiesceMs: 250, level: 'simple', recordsDir: '/tmp/records', resources: false });
    expect(sanitizerOptionsFromEnv({ BYTEBUF_JEST_SANITIZER: '', BYTEBUF_JEST_QUIESCE_MS: '' })).toMatchObject({ mode: 'fail', quiesceMs: 5000 });
  });

  test('a bad value throws, naming the variable', () => {
    expect(() => sanitizerOptionsFromEnv({ BYTEBUF_JEST_SANITIZER: 'strict' })).toThrow(
      "Expected BYTEBUF_JEST_SANITIZER to be one of fail, report, off, got 'strict'",
    );
    expect(() => sanitizerOptionsFromEnv({ BYTEBUF_JEST_QUIESCE_MS: '1.5' })).toThrow(
      "Expected BYTEBUF_JEST_QUIESCE_MS to be an integer from 0 to 60000, got '1.5'",
    );
    expect(() => sanitizerOptionsFromEnv({ BYTEBUF_JEST_RESOURCES: 'no' })).toThrow("Expected BYTEBUF_JEST_RESOURCES to be one of on, off, got 'no'");
    expect(() => sanitizerOptionsFromEnv({ BYTEBUF_LEAK_DETECTION_LEVEL: 'max' })).toThrow(
      "Expected BYTEBUF_LEAK_DETECTION_LEVEL to be one of disabled, simple, advanced, paranoid, got 'max'",
    );
  });

  test('parsers accept their whole range', () => {
    expect(parseSanitizerMode(' off ')).toBe('off');
    expect(parseQuiesceMs('0')).toBe(0);
    expect(parseQuiesceMs('60000')).toBe(60000);
    expect(() => parseQuiesceMs('60001')).toThrow("Expected quiesceMs to be an integer from 0 to 60000, got '60001'");
    expect(() => parseQuiesceMs(' ')).toThrow("Expected quiesceMs to be an integer from 0 to 60000, got ' '");
  });
});

describe('parseChecks', () => {
  test('all checks by default; one or a list, in report order', () => {
    expect(parseChecks(undefined)).toEqual(['leaks', 'misuses', 'timers', 'resources']);
    expect(parseChecks('timers')).toEqual(['timers']);
    expect(parseChecks(['timers', 'leaks'])).toEqual(['leaks', 'timers']);
  });

  test('resource kinds one by one: after the whole checks, in the order given, once each', () => {
    expect(parseChecks(['resources:worker', 'leaks', 'resources:db pool', 'resources:worker'])).toEqual(['leaks', 'resources:worker', 'resources:db pool']);
  });

  test('rejects unknown checks, a kind without a name and an empty list', () => {
    expect(() => parseChecks(['leaks', 'handles', 3, 'resources: '])).toThrow(
      "Expected checks to be one or more of leaks, misuses, timers, resources, or resources:<kind>, got 'handles', '3', 'resources: '",
    );
    expect(() => parseChecks([])).toThrow('Expected checks to be one or more of leaks, misuses, timers, resources, or resources:<kind>, got an empty list');
  });
});

describe('leakSanitizer arguments', () => {
  test('optOut and exempt need a reason', () => {
    expect(() => leakSanitizer.optOut('')).toThrow("Expected reason to be a non-empty string, got ''");
    expect(() => leakSanitizer.optOut(undefined as never)).toThrow('Expected reason to be a non-empty string, got undefined');
    expect(() => leakSanitizer.optOut('why', 'everything' as never)).toThrow(
      "Expected checks to be one or more of leaks, misuses, timers, resources, or resources:<kind>, got 'everything'",
    );
    expect(() => leakSanitizer.exempt(null as never, ' ')).toThrow("Expected reason to be a non-empty string, got ' '");
  });
});
