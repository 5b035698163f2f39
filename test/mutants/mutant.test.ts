/**
 * The mutant files: their shape, the exact-once substitution, and the real set (every mutant
 * still applies to the current sources, so none can rot silently).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyMutant, checkApplies, loadMutants, MutantError, parseMutant, type Mutant } from '../../scripts/mutants/mutant';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'scenarios', 'mutants');

const mutant: Mutant = { id: 'm', file: 'channel/x.ts', description: 'd', search: 'a = 1;', replace: 'a = 2;' };

function thrown(f: () => unknown): MutantError {
  try {
    f();
  } catch (e) {
    return e as MutantError;
  }
  throw new Error('expected a throw');
}

describe('applyMutant', () => {
  it('replaces the one occurrence of the search text', () => {
    expect(applyMutant(mutant, 'let b;\na = 1;\nc();\n')).toBe('let b;\na = 2;\nc();\n');
  });

  it('refuses a search text that is not found, naming the mutant and the file', () => {
    const e = thrown(() => applyMutant(mutant, 'a = 3;'));
    expect(e).toBeInstanceOf(MutantError);
    expect(e.code).toBe('ERR_MUTANT_DOES_NOT_APPLY');
    expect(e.mutant).toBe('m');
    expect(e.message).toBe('mutant m: does not apply: its search text is not found in channel/x.ts (it must occur exactly once)');
  });

  it('refuses a search text found more than once', () => {
    expect(thrown(() => applyMutant(mutant, 'a = 1;a = 1;')).message).toBe(
      'mutant m: does not apply: its search text is found 2 times in channel/x.ts (it must occur exactly once)',
    );
  });
});

describe('parseMutant', () => {
  const valid = { ...mutant, id: 'drop-it' };
  it('accepts the five fields, an empty replace included (a deleted line)', () => {
    expect(parseMutant({ ...valid, replace: '' }, 'drop-it.json')).toEqual({ ...valid, replace: '' });
  });

  it.each([
    [{ ...valid, search: '' }, 'mutant drop-it: drop-it.json: "search" must be a non-empty string'],
    [{ ...valid, description: 3 }, 'mutant drop-it: drop-it.json: "description" must be a non-empty string'],
    [{ ...valid, extra: 1 }, 'mutant drop-it: drop-it.json: unknown property "extra"'],
    [{ ...valid, id: 'other' }, 'mutant drop-it: drop-it.json: "id" must be the file name without .json (lower case, digits, -), got "other"'],
    [{ ...valid, replace: valid.search }, 'mutant drop-it: drop-it.json: "replace" equals "search"'],
    [[], 'mutant drop-it: drop-it.json: expected an object with id, file, description, search, replace'],
  ])('refuses %j', (value, message) => {
    const e = thrown(() => parseMutant(value, 'drop-it.json'));
    expect(e.code).toBe('ERR_MUTANT_MALFORMED');
    expect(e.message).toBe(message);
  });
});

describe('the mutant set (scenarios/mutants)', () => {
  const mutants = loadMutants(DIR);
  const allowed = new Set([
    'channel/AbstractByteBufferAsyncWritableChannel.ts', 'channel/ByteBufferAsyncWritableChannel.ts', 'channel/ownership.ts',
    'channel/variants.ts', 'channel/RetainingAsyncWritableChannel.ts', 'channel/ReadableStreamChannelInputStream.ts',
    'channel/ChunkFiller.ts', 'channel/internal/CallbackQueue.ts', 'channel/internal/Fifo.ts', 'channel/internal/LinkedQueue.ts',
  ]);

  it('holds at least 60 mutants of the fixed channel and its consumers, with unique ids', () => {
    expect(mutants.length).toBeGreaterThanOrEqual(60);
    expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
    expect(mutants.filter((m) => !allowed.has(m.file)).map((m) => m.id)).toEqual([]);
  });

  it('every mutant applies to the current sources, exactly once', () => {
    expect(checkApplies(mutants, ROOT).map((e) => e.message)).toEqual([]);
  });

  it('every mutant changes the source it patches', () => {
    for (const m of mutants) expect(applyMutant(m, readFileSync(path.join(ROOT, m.file), 'utf8'))).not.toBe(readFileSync(path.join(ROOT, m.file), 'utf8'));
  });

  it('checkApplies names a mutant whose search text is gone', () => {
    const stale = loadMutants(path.join(__dirname, 'fixtures', 'stale'));
    expect(checkApplies(stale, ROOT).map((e) => e.message)).toEqual([
      'mutant gone-search: does not apply: its search text is not found in channel/ownership.ts (it must occur exactly once)',
    ]);
  });
});
