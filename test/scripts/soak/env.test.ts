import { DEFAULT_SEQUENCES, MAX_SEED, soakSettingsFromEnv, SoakUsageError } from '../../../scripts/soak/env';

const fixedSeed = (): number => 1234;

describe('soakSettingsFromEnv', () => {
  test('defaults: 100,000 sequences and the random seed', () => {
    expect(soakSettingsFromEnv({}, fixedSeed)).toEqual({ sequences: DEFAULT_SEQUENCES, seed: 1234 });
    expect(DEFAULT_SEQUENCES).toBe(100_000);
  });

  test('an empty variable counts as unset', () => {
    expect(soakSettingsFromEnv({ SOAK_SEQUENCES: '', SOAK_SEED: '' }, fixedSeed)).toEqual({ sequences: 100_000, seed: 1234 });
  });

  test('reads both variables, bounds included', () => {
    expect(soakSettingsFromEnv({ SOAK_SEQUENCES: '1', SOAK_SEED: '0' }, fixedSeed)).toEqual({ sequences: 1, seed: 0 });
    expect(soakSettingsFromEnv({ SOAK_SEQUENCES: '2000', SOAK_SEED: String(MAX_SEED) }, fixedSeed)).toEqual({ sequences: 2000, seed: 2147483647 });
  });

  test.each([
    ['SOAK_SEQUENCES', 'abc', "Expected SOAK_SEQUENCES to be a positive integer, got 'abc'"],
    ['SOAK_SEQUENCES', '0', "Expected SOAK_SEQUENCES to be a positive integer, got '0'"],
    ['SOAK_SEQUENCES', '-5', "Expected SOAK_SEQUENCES to be a positive integer, got '-5'"],
    ['SOAK_SEQUENCES', '1e5', "Expected SOAK_SEQUENCES to be a positive integer, got '1e5'"],
    ['SOAK_SEQUENCES', '2.5', "Expected SOAK_SEQUENCES to be a positive integer, got '2.5'"],
    ['SOAK_SEQUENCES', ' 10', "Expected SOAK_SEQUENCES to be a positive integer, got ' 10'"],
    ['SOAK_SEED', 'x', "Expected SOAK_SEED to be an integer from 0 to 2147483647, got 'x'"],
    ['SOAK_SEED', '-1', "Expected SOAK_SEED to be an integer from 0 to 2147483647, got '-1'"],
    ['SOAK_SEED', '2147483648', "Expected SOAK_SEED to be an integer from 0 to 2147483647, got '2147483648'"],
  ])('%s=%j is a SoakUsageError naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      soakSettingsFromEnv({ [name]: value }, fixedSeed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SoakUsageError);
    expect(error).toMatchObject({ name: 'SoakUsageError', code: 'ERR_SOAK_USAGE', message });
  });
});
