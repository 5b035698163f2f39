/**
 * Scenario folders: node_modules, .git and dot-folders are skipped; links to files and folders are
 * followed without looping; an unreadable folder, a FIFO, a broken link or a link loop is listed
 * like a malformed file while the other files load (and the run exits 2). Tests run as root, where
 * chmod 000 does not stop a read: the unreadable folder is an injected readdir failure.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as engine from '../../scenarios/engine';
import { loadScenarios } from '../../scenarios/engine';
import { findScenarioFiles, type ScenarioFs } from '../../scenarios/engine/files';
import { main } from '../../scripts/leak-tests/main';

/** A valid scenario named `name` that passes on `fixed`. */
function scenarioText(name: string): string {
  return JSON.stringify({
    name,
    kind: 'baseline',
    description: 'a buffer allocated and released',
    channel: 'none',
    expected: { fixed: { leaks: 0 } },
    steps: [{ step: 'allocate', as: 'b', type: 'ByteBuf', size: 1 }, { step: 'release', of: 'b' }],
  });
}

/** A folder tree with every kind of entry; returns its root (absolute, outside the working directory). */
function makeTree(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-folders-'));
  const root = path.join(base, 'cases');
  const outside = path.join(base, 'elsewhere');
  for (const d of ['sub/deeper', 'node_modules/pkg', '.git', '.hidden', 'empty']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.mkdirSync(path.join(outside, 'linked'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a.json'), scenarioText('a'));
  fs.writeFileSync(path.join(root, 'sub', 'deeper', 'b.json'), scenarioText('b'));
  fs.writeFileSync(path.join(root, 'node_modules', 'pkg', 'skipped1.json'), scenarioText('skipped1'));
  fs.writeFileSync(path.join(root, '.git', 'skipped2.json'), scenarioText('skipped2'));
  fs.writeFileSync(path.join(root, '.hidden', 'skipped3.json'), scenarioText('skipped3'));
  fs.writeFileSync(path.join(root, 'notes.txt'), 'not a scenario');
  fs.writeFileSync(path.join(outside, 'linked', 'c.json'), scenarioText('c'));
  fs.writeFileSync(path.join(outside, 'd-target.json'), scenarioText('d'));
  fs.symlinkSync(path.join(outside, 'linked'), path.join(root, 'linked-folder'));
  fs.symlinkSync(path.join(outside, 'd-target.json'), path.join(root, 'd.json'));
  fs.symlinkSync(root, path.join(root, 'sub', 'back-to-root')); // a cycle: must not loop
  fs.symlinkSync(path.join(root, 'missing.json'), path.join(root, 'broken.json'));
  fs.symlinkSync('loop.json', path.join(root, 'loop.json')); // a link to itself: ELOOP
  execFileSync('mkfifo', [path.join(root, 'pipe.json')]);
  return { root, outside };
}

describe('scenario folders', () => {
  const { root } = makeTree();

  it('load every scenario once, following links, skipping node_modules, .git and dot-folders; list what cannot be used', () => {
    const { scenarios, errors } = loadScenarios([root]);
    expect(scenarios.map((s) => s.name)).toEqual(['a', 'd', 'c', 'b']);
    expect(scenarios.map((s) => path.relative(root, s.file))).toEqual(['a.json', 'd.json', 'linked-folder/c.json', 'sub/deeper/b.json']);
    expect(errors).toEqual([
      { file: path.join(root, 'broken.json'), jsonPath: '$', message: 'a broken symbolic link: its target does not exist (ENOENT)' },
      { file: path.join(root, 'loop.json'), jsonPath: '$', message: 'a symbolic link loop (ELOOP): it never reaches a file or folder' },
      { file: path.join(root, 'pipe.json'), jsonPath: '$', message: 'expected a scenario file, got a FIFO (named pipe); it is not read' },
    ]);
  });

  it('a FIFO given as a scenario file is listed, not read (it would block forever)', () => {
    const fifo = path.join(root, 'pipe.json');
    expect(loadScenarios([fifo]).errors).toEqual([{ file: fifo, jsonPath: '$', message: 'expected a scenario file, got a FIFO (named pipe); it is not read' }]);
  });

  it('a path through a file (ENOTDIR) is listed', () => {
    const through = path.join(root, 'a.json', 'x.json');
    expect(loadScenarios([through]).errors).toEqual([{ file: through, jsonPath: '$', message: 'expected a scenario file or directory, but it cannot be read (ENOTDIR)' }]);
  });

  it('an unreadable sub-folder is listed and the other folders are still searched', () => {
    const unreadable = path.join(root, 'sub');
    const fsWithUnreadableSub: ScenarioFs = {
      statSync: (p) => fs.statSync(p),
      realpathSync: (p) => fs.realpathSync(p),
      readdirSync: (p, options) => {
        if (p === unreadable) throw Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: 'EACCES' });
        return fs.readdirSync(p, options);
      },
    };
    const { files, faults } = findScenarioFiles([root], fsWithUnreadableSub);
    expect(files.map((f) => path.relative(root, f))).toEqual(['a.json', 'd.json', 'linked-folder/c.json']);
    expect(faults).toContainEqual({ file: unreadable, message: 'cannot read this directory (EACCES); the scenario files in it were not loaded' });
    expect(faults).toHaveLength(4);
  });

  it('npm run leak-tests -- --scenario <folder>: the good files run and pass, the bad entries are listed, exit 2', async () => {
    let stdout = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: {} };
    const code = await main(['--scenario', root], io, async () => engine);
    expect(code).toBe(2);
    expect(stdout).toContain(`Malformed scenario files (3; the other files ran; exit code 2):\n  ${path.join(root, 'broken.json')}: $: a broken symbolic link`);
    expect(stdout.endsWith('\nleak-tests: 4 passed, 0 failed\n')).toBe(true);
  }, 60_000);
});
