/**
 * README.md and scenarios/README.md against the code: the environment table names every variable
 * the code reads, with the code's defaults, and lists none it does not read; every file of the
 * repository the pages point at exists; no page points outside the repository.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SANITIZER_OPTIONS, SANITIZER_ENV } from '../../harness/sanitizer/options';
import { DEFAULT_SETTINGS } from '../../harness/tracking/config';
import { ROOT } from './validator';

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const README = read('README.md');
const PAGES = ['README.md', 'scenarios/README.md'];

/** The source files (TypeScript and CommonJS) under `dir`, relative to the root. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => /\.(ts|cjs|mjs)$/.test(f) && statSync(path.join(ROOT, f)).isFile());
}

/** Every environment variable the code of harness/, scripts/ and scenarios/ reads. */
function variablesRead(): string[] {
  const found = new Set<string>();
  const patterns = [
    /process\.env\.([A-Z][A-Z0-9_]+)/g,
    /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
    /['"]((?:BYTEBUF|SOAK)_[A-Z0-9_]+|LEAK_TESTS_DEBUG)['"]/g,
  ];
  for (const file of ['harness', 'scripts', 'scenarios'].flatMap(sources)) {
    const text = read(file);
    for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]!);
  }
  return [...found].sort();
}

/** The text of the section under `heading`, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

const ENV_SECTION = section(README, '### Environment variables');

/** The table's rows: variable -> its cells (read by, values, default, effect). */
const envRows = new Map(
  [...ENV_SECTION.matchAll(/^\| `([A-Z_]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!.split(' | ')] as const),
);

describe('README.md: the environment variables', () => {
  test('the section names every variable the code reads', () => {
    const read = variablesRead();
    expect(read).toEqual(expect.arrayContaining(['BYTEBUF_JEST_QUIESCE_MS', 'BYTEBUF_JEST_SANITIZER', 'LEAK_TESTS_DEBUG', 'SOAK_SEED']));
    expect(read.filter((v) => !ENV_SECTION.includes(`\`${v}\``))).toEqual([]);
  });

  test('the table has a row for each BYTEBUF_* variable and LEAK_TESTS_DEBUG, and none the code does not read', () => {
    const expected = variablesRead().filter((v) => v.startsWith('BYTEBUF_') || v === 'LEAK_TESTS_DEBUG');
    expect([...envRows.keys()].sort()).toEqual(expected);
  });

  test("each row's default is the code's", () => {
    const defaultOf = (v: string): string => envRows.get(v)?.[2] ?? '';
    expect(defaultOf('BYTEBUF_LEAK_DETECTION_LEVEL')).toContain(`harness: \`${DEFAULT_SETTINGS.level}\``);
    expect(defaultOf('BYTEBUF_LEAK_DETECTION_LEVEL')).toContain(`the jest sanitizer: \`${DEFAULT_SANITIZER_OPTIONS.level}\``);
    expect(defaultOf('BYTEBUF_LEAK_DETECTION_TARGET_RECORDS')).toBe(`\`${DEFAULT_SETTINGS.targetRecords}\``);
    expect(defaultOf('BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL')).toBe(`\`${DEFAULT_SETTINGS.samplingInterval}\``);
    expect(defaultOf('BYTEBUF_LEAK_DETECTION_SEED')).toBe(`\`${DEFAULT_SETTINGS.seed}\``);
    expect(defaultOf('BYTEBUF_LEAK_LEDGER')).toBe(DEFAULT_SETTINGS.exactLedger ? 'on' : 'off');
    expect(defaultOf('BYTEBUF_LEAK_STACK_DEPTH')).toBe(`\`${DEFAULT_SETTINGS.stackDepth}\``);
    expect(defaultOf('BYTEBUF_LEAK_RECORDS')).toBe(`\`${DEFAULT_SETTINGS.records}\``);
    expect(defaultOf(SANITIZER_ENV.mode)).toBe(`\`${DEFAULT_SANITIZER_OPTIONS.mode}\``);
    expect(defaultOf(SANITIZER_ENV.quiesceMs)).toBe(`\`${DEFAULT_SANITIZER_OPTIONS.quiesceMs}\``);
  });
});

/**
 * The repository paths a page names: link targets (relative to the page), and every path that
 * starts with a top folder of the repository, in prose, code spans and examples alike (an
 * example's `file:line` names the file).
 */
function pathsNamed(page: string): string[] {
  const text = read(page);
  const dir = path.dirname(page);
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
  const inText = [...text.matchAll(/(?<![\w.-])((?:harness|channel|scenarios|scripts|test|\.ci)\/[\w./-]*[\w/])/g)].map((m) => m[1]!);
  return [...new Set([...links.map((l) => path.join(dir, l)), ...inText])].sort();
}

describe.each(PAGES)('%s: references', (page) => {
  test('every repository file or folder it names exists', () => {
    const named = pathsNamed(page);
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  test('it points at nothing outside the repository', () => {
    expect(read(page)).not.toMatch(/\.\.\/shared|shared\/spec/);
  });
});
