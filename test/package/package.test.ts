/**
 * The package as users get it: `npm run build` once, then what `exports` points at, the
 * CommonJS and ESM faces (one instance), the tarball's contents, the published types (no
 * `@internal` declaration; a strict consumer compiles, one that reaches for internals does not),
 * and the compiled CLI under plain node, with no TypeScript loader on the PATH.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ENTRIES } from '../../scripts/build/entries';
import { packageFields } from '../../scripts/build/layout';
import { HELP } from '../../scripts/leak-tests/help';
import { formatLeakSummary, mergeLeakSummaries, summarizeLeakRecords } from '../../harness/sanitizer/summary';
import { ROOT, runCommand, type CommandResult } from '../scripts/cli';

const BUILD_TIMEOUT_MS = 180_000;
const CHILD_TEST_TIMEOUT_MS = 120_000;
const NODE = process.execPath;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CLI = path.join('dist', 'scripts', 'cli.js');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { exports: Record<string, unknown>; name: string };

/** Plain node: only node's own folder and the system's on the PATH (no node_modules/.bin, so no tsx), no loader options. */
const PLAIN_NODE_ENV = { PATH: [path.dirname(NODE), '/usr/bin', '/bin'].join(path.delimiter), NODE_OPTIONS: '' };
const node = (args: readonly string[]): Promise<CommandResult> => runCommand(NODE, args, { env: PLAIN_NODE_ENV });

/** Every string a JSON value holds (the targets of an `exports` map). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bytebuf-package-'));
  const built = await runCommand('npm', ['run', '-s', 'build']);
  expect({ code: built.code, stderr: built.stderr }).toEqual({ code: 0, stderr: '' });
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('exports', () => {
  it('package.json main, types, typesVersions, exports and bin are the entry table', () => {
    const expected = packageFields((relative) => existsSync(path.join(ROOT, relative)));
    expect({ main: pkg['main'], types: pkg['types'], typesVersions: pkg['typesVersions'], exports: pkg.exports, bin: pkg['bin'] }).toEqual(expected);
    expect(Object.keys(pkg.exports)).toEqual([...ENTRIES.map((e) => e.subpath), './package.json']);
  });

  it('every target of exports, main, types, typesVersions and bin is a built file', () => {
    const targets = [...strings(pkg.exports), ...strings(pkg['typesVersions']), ...strings(pkg['bin']), String(pkg['main']), String(pkg['types'])];
    expect(targets.length).toBeGreaterThan(4 * ENTRIES.length);
    expect(targets.filter((t) => !existsSync(path.join(ROOT, t)))).toEqual([]);
  });

  it('each compiled module has its source map, with the TypeScript inside', () => {
    const map = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'harness', 'index.js.map'), 'utf8')) as { sources: string[]; sourcesContent: string[] };
    expect(map.sources).toEqual(['../../harness/index.ts']);
    expect(map.sourcesContent).toEqual([readFileSync(path.join(ROOT, 'harness', 'index.ts'), 'utf8')]);
    expect(readFileSync(path.join(ROOT, 'dist', 'harness', 'index.js'), 'utf8')).toMatch(/\n\/\/# sourceMappingURL=index\.js\.map$/);
  });
});

describe('vitest/setup from CommonJS', () => {
  it('require() throws a typed error that says how to load it, instead of a resolution error', async () => {
    const r = await node(['-e', "try { require('bytebuf-leak-harness/vitest/setup') } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })) }"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'VitestSetupLoadError',
      code: 'ERR_VITEST_SETUP_REQUIRED',
      message:
        "bytebuf-leak-harness/vitest/setup is an ES module for vitest's setupFiles (test: { setupFiles: ['bytebuf-leak-harness/vitest/setup'] }); it cannot be required from CommonJS. Under jest, use bytebuf-leak-harness/jest/setup in setupFilesAfterEnv.",
    });
  }, 60_000);
});

describe('require and import', () => {
  it(
    'give the same names and the same objects for every entry, and one ledger',
    async () => {
      // Setup files run only inside their runner (jest's calls expect.extend; vitest's is ESM only
      // and imports vitest), and node-test registers its file check with node:test when it loads.
      const r = await node(['test/package/fixtures/dual-load.cjs', './jest/setup', './vitest/setup', './node-test']);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const out = JSON.parse(r.stdout) as {
        entries: Record<string, { cjsKeys: string[]; esmKeys: string[]; differing: string[] }>;
        instance: Record<string, unknown>;
      };
      expect(Object.keys(out.entries)).toEqual(ENTRIES.map((e) => e.subpath).filter((s) => !['./jest/setup', './vitest/setup', './node-test'].includes(s)));
      for (const [subpath, e] of Object.entries(out.entries)) {
        expect({ subpath, esmKeys: e.esmKeys, differing: e.differing }).toEqual({ subpath, esmKeys: e.cjsKeys, differing: [] });
      }
      expect(out.entries['.']!.cjsKeys).toEqual(expect.arrayContaining(['Unpooled', 'ledger', 'ByteBuf', 'LeakDetection']));
      expect(out.entries['./jest/reporter']!.cjsKeys).toEqual(['LeakReporter', 'default', 'parseReporterOptions', 'shardOutputFile']);
      expect(out.instance).toEqual({ sameUnpooled: true, sameLedger: true, sameByteBuf: true, esmBufferIsCjsByteBuf: true, leakedWhileHeld: 1, leakedAfterRelease: 0 });
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'jest/reporter: require gives the reporter class as default (what jest loads), import gives it as default',
    async () => {
      const script = [
        "const r = require('bytebuf-leak-harness/jest/reporter');",
        "import('bytebuf-leak-harness/jest/reporter').then((m) => console.log(JSON.stringify([typeof r.default, r.default === r.LeakReporter, m.default === r.LeakReporter, r.default.name])));",
      ].join('\n');
      const r = await node(['-e', script]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '["function",true,true,"LeakReporter"]\n', stderr: '' });
    },
    CHILD_TEST_TIMEOUT_MS,
  );
});

describe('the tarball', () => {
  it(
    'holds dist, the scenario cases, schema and format doc, README, LICENSE and CHANGELOG; no tests, no TypeScript sources; the bin is executable',
    async () => {
      const r = await runCommand('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
      expect(r.code).toBe(0);
      const [info] = JSON.parse(r.stdout) as { files: { path: string; mode: number }[] }[];
      const files = info!.files.map((f) => f.path).sort();
      const top = [...new Set(files.map((f) => (f.startsWith('scenarios/') ? f.split('/').slice(0, 2).join('/') : f.split('/')[0]!)))].sort();
      // scenarios/README.md documents the scenario format the cases and the schema follow.
      expect(top).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json', 'scenarios/README.md', 'scenarios/cases', 'scenarios/schema']);
      expect(files.filter((f) => f.startsWith('test/') || f.includes('/test/'))).toEqual([]);
      expect(files.filter((f) => /\.(c|m)?ts$/.test(f) && !/\.d\.(c|m)?ts$/.test(f))).toEqual([]);
      expect(files.filter((f) => f.startsWith('scenarios/cases/')).length).toBe(44);
      expect(files).toEqual(expect.arrayContaining(['scenarios/schema/scenario.schema.json', 'dist/scripts/cli.js', 'dist/harness/index.mjs', 'dist/harness/index.d.mts', 'dist/harness/index.js.map']));
      const bin = info!.files.find((f) => f.path === 'dist/scripts/cli.js')!;
      expect(bin.mode & 0o111).toBe(0o111);
      expect(readFileSync(path.join(ROOT, CLI), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    },
    CHILD_TEST_TIMEOUT_MS,
  );
});

/** Class members and top-level declarations marked `@internal` in `file`'s source, as `Class.member` or `name`. */
function internalNames(sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  const marked = (node: ts.Node): boolean => ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
  for (const statement of sourceFile.statements) {
    const name = (statement as { name?: ts.Identifier }).name?.text;
    if (name !== undefined && marked(statement)) names.push(name);
    if (ts.isClassDeclaration(statement) && statement.name !== undefined) {
      for (const member of statement.members) {
        if (member.name !== undefined && ts.isIdentifier(member.name) && marked(member)) names.push(`${statement.name.text}.${member.name.text}`);
      }
    }
  }
  return names;
}

/** Class members (`Class.member`) and top-level names a declaration file declares. */
function declaredNames(dts: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of dts.statements) {
    const name = (statement as { name?: ts.Identifier }).name?.text;
    if (name !== undefined) names.add(name);
    if (ts.isClassDeclaration(statement) && statement.name !== undefined) {
      for (const member of statement.members) if (member.name !== undefined && ts.isIdentifier(member.name)) names.add(`${statement.name.text}.${member.name.text}`);
    }
  }
  return names;
}

describe('the published types', () => {
  it('declare nothing the sources mark @internal, and do not say @internal', () => {
    const dist = path.join(ROOT, 'dist');
    const declarations = (readdirSync(dist, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.d.ts'));
    expect(declarations.length).toBeGreaterThan(40);
    const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    let checked = 0;
    const leaked: string[] = [];
    for (const d of declarations) {
      const source = path.join(ROOT, d.replace(/\.d\.ts$/, '.ts'));
      const internal = internalNames(parse(source));
      checked += internal.length;
      const declared = declaredNames(parse(path.join(dist, d)));
      leaked.push(...internal.filter((n) => declared.has(n)).map((n) => `${d}: ${n}`));
      if (readFileSync(path.join(dist, d), 'utf8').includes('@internal')) leaked.push(`${d}: the text @internal`);
    }
    // The check ran on real marks (ByteBuf's and the allocator's hooks, among others).
    expect(checked).toBeGreaterThan(20);
    expect(leaked).toEqual([]);
  });

  /** A consumer project in `tmp` that links the package and holds the fixture files. */
  function consumerProject(): string {
    const dir = path.join(tmp, 'consumer');
    if (existsSync(dir)) return dir;
    mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, path.join(dir, 'node_modules', pkg.name), 'dir');
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "consumer", "private": true, "type": "commonjs" }\n');
    const fixtures = path.join(__dirname, 'fixtures', 'consumer');
    for (const f of readdirSync(fixtures)) copyFileSync(path.join(fixtures, f), path.join(dir, f.replace(/\.txt$/, '')));
    const strict = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noPropertyAccessFromIndexSignature: true,
      skipLibCheck: false,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      types: ['node', 'jest'],
    };
    const config = (name: string, options: object, files: string[]): void => writeFileSync(path.join(dir, name), JSON.stringify({ compilerOptions: { ...strict, ...options }, files }, null, 2));
    config('tsconfig.nodenext.json', { module: 'nodenext' }, ['uses-every-entry.ts', 'uses-every-entry-esm.mts']);
    config('tsconfig.verbatim.json', { module: 'preserve', verbatimModuleSyntax: true }, ['uses-every-entry.ts']);
    config('tsconfig.node10.json', { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true, ignoreDeprecations: '6.0' }, ['uses-every-entry.ts']);
    config('tsconfig.internal.json', { module: 'nodenext' }, ['uses-internal.ts']);
    return dir;
  }

  const tsc = (args: readonly string[]): Promise<CommandResult> => runCommand(NODE, [TSC, ...args], { env: PLAIN_NODE_ENV });

  it(
    'compile in a strict consumer (skipLibCheck false): nodenext CommonJS and ESM, verbatimModuleSyntax, node10',
    async () => {
      const dir = consumerProject();
      const r = await tsc(['-b', ...['nodenext', 'verbatim', 'node10'].map((c) => path.join(dir, `tsconfig.${c}.json`))]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'do not let a consumer reach an unexported name or an @internal member (the check above can fail)',
    async () => {
      const dir = consumerProject();
      const r = await tsc(['-p', path.join(dir, 'tsconfig.internal.json'), '--pretty', 'false']);
      expect(r.code).toBe(2);
      expect(r.stdout.replace(/^.*?(uses-internal\.ts)/gm, '$1')).toBe(
        [
          `uses-internal.ts(2,20): error TS2305: Module '"${pkg.name}"' has no exported member 'newTracker'.`,
          "uses-internal.ts(5,5): error TS2551: Property '_getByte' does not exist on type 'ByteBuf'. Did you mean 'getByte'?",
          '',
        ].join('\n'),
      );
    },
    CHILD_TEST_TIMEOUT_MS,
  );
});

describe('the compiled CLI under plain node', () => {
  it(
    '--help prints the help',
    async () => {
      const r = await node([CLI, '--help']);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: HELP, stderr: '' });
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'replays the built-in scenarios from the package: exit 0 and the closing line',
    async () => {
      const r = await node([CLI]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').pop()).toMatch(/^leak-tests: [1-9]\d* passed, 0 failed$/);
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'merge: two shards merged equal one run',
    async () => {
      const parts = [1, 2].map((i) => path.join(tmp, `part-${i}.json`));
      for (const [i, part] of parts.entries()) {
        const r = await node([CLI, '--filter', 'retaining', '--shard', `${i + 1}/2`, '--json', part]);
        expect(r.code).toBe(0);
      }
      const merged = await node([CLI, 'merge', '--format', 'json', ...parts]);
      expect({ code: merged.code, stderr: merged.stderr.split('\n').pop() }).toEqual({ code: 0, stderr: '' });
      const whole = await node([CLI, '--filter', 'retaining', '--format', 'json']);
      const totals = (text: string): unknown => (JSON.parse(text) as { totals: unknown }).totals;
      expect(totals(merged.stdout)).toEqual(totals(whole.stdout));
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'merge-jest: the merged summary of two parts',
    async () => {
      const summaries = [summarizeLeakRecords([], '1/2'), summarizeLeakRecords([], '2/2')];
      const parts = summaries.map((s, i) => {
        const file = path.join(tmp, `jest-part-${i + 1}.json`);
        writeFileSync(file, JSON.stringify(s));
        return file;
      });
      const r = await node([CLI, 'merge-jest', ...parts]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${formatLeakSummary(mergeLeakSummaries(summaries))}\n`, stderr: '' });
    },
    CHILD_TEST_TIMEOUT_MS,
  );

  it(
    'an unknown subcommand: one line naming it and the subcommands, exit 2',
    async () => {
      const r = await node([CLI, 'merge-jets', 'a.json']);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'bytebuf-leak-tests: Unknown subcommand `merge-jets`, did you mean `merge-jest`? (subcommands: merge, merge-jest; scenario files are passed with `--scenario <file-or-dir>`; run with --help for the options)\n',
      });
    },
    CHILD_TEST_TIMEOUT_MS,
  );
});
