/**
 * The digest of the build's inputs (scripts/build/inputs.cjs): `npm run leak-tests` rebuilds dist/
 * when it differs from the one the last build wrote, so it must follow every byte of the sources
 * and nothing else (not a file's time, not the tests).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Plain JavaScript (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BUILD_INPUTS, DIGEST_FILE, buildInputsDigest, digestFileText, isBuildCurrent } = require('../../scripts/build/inputs.cjs') as {
  BUILD_INPUTS: string[];
  DIGEST_FILE: string;
  buildInputsDigest(root: string): string;
  digestFileText(root: string): string;
  isBuildCurrent(root: string): boolean;
};

describe('the digest of the build inputs', () => {
  let root: string;
  const write = (relative: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-inputs-'));
    write('package.json', '{}');
    write('harness/index.ts', 'export const a = 1;\n');
    write('scripts/cli.ts', 'run();\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the folders the package is compiled from, and a digest file inside dist/', () => {
    expect(BUILD_INPUTS).toEqual(['harness', 'channel', 'scenarios/engine', 'scenarios/schema', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']);
    expect(DIGEST_FILE).toBe(path.join('dist', '.build-inputs'));
  });

  it('changes with a byte of a source, a new source or package.json; not with a time stamp, a test or dist/', () => {
    const first = buildInputsDigest(root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'harness/index.ts'), later, later);
    write('test/a.test.ts', 'it();\n');
    write('dist/harness/index.js', 'exports.a = 1;\n');
    expect(buildInputsDigest(root)).toBe(first);

    write('harness/index.ts', 'export const a = 2;\n');
    const edited = buildInputsDigest(root);
    expect(edited).not.toBe(first);
    write('channel/new.ts', '\n');
    const added = buildInputsDigest(root);
    expect(added).not.toBe(edited);
    write('package.json', '{ }');
    expect(buildInputsDigest(root)).not.toBe(added);
  });

  it('a file moved to another folder is a change (paths are part of the digest)', () => {
    const before = buildInputsDigest(root);
    fs.mkdirSync(path.join(root, 'channel'));
    fs.renameSync(path.join(root, 'harness/index.ts'), path.join(root, 'channel/index.ts'));
    expect(buildInputsDigest(root)).not.toBe(before);
  });

  it('isBuildCurrent: no digest file, stale; the file the build writes, current; an edit, stale; a touch alone, current, and the signature follows', () => {
    expect(isBuildCurrent(root)).toBe(false);
    write(DIGEST_FILE, digestFileText(root));
    expect(isBuildCurrent(root)).toBe(true);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'scripts/cli.ts'), later, later);
    const before = fs.readFileSync(path.join(root, DIGEST_FILE), 'utf8');
    expect(isBuildCurrent(root)).toBe(true);
    const after = fs.readFileSync(path.join(root, DIGEST_FILE), 'utf8');
    expect(after.split('\n')[0]).toBe(before.split('\n')[0]);
    expect(after).not.toBe(before);
    write('scripts/cli.ts', 'run(1);\n');
    expect(isBuildCurrent(root)).toBe(false);
  });
});
