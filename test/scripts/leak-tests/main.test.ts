// The module object itself (a namespace import is a copy under SWC): the spy must reach writeFileAtomic.
import fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../../../scripts/leak-tests/exit-code';
import { HELP } from '../../../scripts/leak-tests/help';
import { main, type CliIo } from '../../../scripts/leak-tests/main';
import type { LeakTestsReport } from '../../../scripts/leak-tests/report';
import { fakeEngine, outcome, scenario } from '../fake-engine';

function capture(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: { stdout: string; stderr: string } } {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env },
  };
}

const a = scenario('a-case', ['fixed', 'legacy']);
const b = scenario('b-case', ['fixed'], 'baseline');
const leaky = () => fakeEngine([a, b], async (s, v) => outcome(s, v, 0, s.name === 'a-case' && v === 'legacy' ? 1 : 0));
const dir = mkdtempSync(path.join(tmpdir(), 'leak-tests-main-'));

describe('main', () => {
  it('--help prints the usage and exits 0 without loading the engine', async () => {
    const { io, out } = capture();
    const load = jest.fn();
    expect(await main(['--help'], io, load)).toBe(ExitCode.Passed);
    expect(out.stdout).toBe(HELP);
    expect(load).not.toHaveBeenCalled();
  });

  it('a usage error prints one line on stderr and exits 2', async () => {
    const { io, out } = capture();
    expect(await main(['--level', 'x'], io, async () => leaky())).toBe(ExitCode.Usage);
    expect(out.stderr).toBe('leak-tests: Expected `--level` to be one of disabled, simple, advanced, paranoid, got `x`\n');
    expect(out.stdout).toBe('');
  });

  it('a --scenario path that does not exist is a usage error', async () => {
    const { io, out } = capture();
    expect(await main(['--scenario', path.join(dir, 'nope')], io, async () => leaky())).toBe(ExitCode.Usage);
    expect(out.stderr).toBe(`leak-tests: Expected \`--scenario\` to name an existing file or directory, got \`${path.join(dir, 'nope')}\`\n`);
  });

  it('a selection that matches no run is a usage error', async () => {
    const { io, out } = capture();
    expect(await main(['--filter', 'zzz'], io, async () => leaky())).toBe(ExitCode.Usage);
    expect(out.stderr).toBe('leak-tests: No scenario run matches the `--filter`/`--channel` selection (scenario files: cases)\n');
  });

  it('loads the built-in directory, the user paths, or both with --with-builtin', async () => {
    const engine = leaky();
    await main([], capture().io, async () => engine);
    await main(['--scenario', dir], capture().io, async () => engine);
    await main(['--scenario', dir, '--with-builtin'], capture().io, async () => engine);
    expect(engine.loadedPaths).toEqual([['cases'], [dir], ['cases', dir]]);
  });

  it('exits 1 when a run differs, 0 when none does', async () => {
    const { io, out } = capture();
    expect(await main([], io, async () => leaky())).toBe(ExitCode.Failed);
    expect(out.stdout.endsWith('\nleak-tests: 2 passed, 1 failed\n')).toBe(true);
    const fine = capture();
    expect(await main(['--channel', 'fixed'], fine.io, async () => leaky())).toBe(ExitCode.Passed);
    expect(fine.out.stdout.endsWith('\nleak-tests: 2 passed, 0 failed\n')).toBe(true);
  });

  it('malformed files: the other files run, the errors are listed, exit 2', async () => {
    const engine = fakeEngine([b], undefined, [{ file: 'x/bad.json', jsonPath: '$.steps[0]', line: 3, message: 'unknown step "wirte"' }]);
    const { io, out } = capture();
    expect(await main([], io, async () => engine)).toBe(ExitCode.Usage);
    expect(engine.replayed).toEqual(['b-case [fixed]']);
    expect(out.stdout).toContain('\n  x/bad.json: $.steps[0] (line 3): unknown step "wirte"\n');
    expect(out.stdout.endsWith('\nleak-tests: 1 passed, 0 failed\n')).toBe(true);
  });

  it('--format json prints one JSON document on stdout and the closing line on stderr', async () => {
    const { io, out } = capture();
    expect(await main(['--format', 'json'], io, async () => leaky())).toBe(ExitCode.Failed);
    const report = JSON.parse(out.stdout) as LeakTestsReport;
    expect(report.totals).toEqual({ runs: 3, passed: 2, failed: 1, openHandles: 0, malformedFiles: 0 });
    expect(report.results.map((r) => `${r.scenario} [${r.version}] ${r.passed}`)).toEqual([
      'a-case [fixed] true',
      'a-case [legacy] false',
      'b-case [fixed] true',
    ]);
    expect(out.stderr).toBe('leak-tests: 2 passed, 1 failed\n');
  });

  it('writes --json and --junit files (creating their directory) besides the text on stdout', async () => {
    const { io, out } = capture();
    const json = path.join(dir, 'out', 'report.json');
    const junit = path.join(dir, 'out', 'junit.xml');
    await main(['--json', json, '--junit', junit], io, async () => leaky());
    expect(out.stdout.startsWith('scenario')).toBe(true);
    expect((JSON.parse(readFileSync(json, 'utf8')) as LeakTestsReport).totals.failed).toBe(1);
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="expected 0 leak(s), observed 1"');
  });

  it('a report file that cannot be written: the verdict first, then one line on stderr; exit 2', async () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, '');
    const { io, out } = capture();
    expect(await main(['--json', path.join(blocker, 'r.json')], io, async () => leaky())).toBe(ExitCode.Usage);
    expect(out.stdout.startsWith('scenario')).toBe(true);
    expect(out.stdout.endsWith('\nleak-tests: 2 passed, 1 failed\n')).toBe(true);
    expect(out.stderr).toBe(
      `leak-tests: Cannot write the \`--json\` file \`${path.join(blocker, 'r.json')}\`: cannot create the directory \`${blocker}\`: EEXIST: file already exists\n`,
    );
  });

  it('a disk that fills in the middle of a report: the old report stays whole, no temporary file is left, exit 2', async () => {
    const reports = mkdtempSync(path.join(dir, 'full-disk-'));
    const json = path.join(reports, 'report.json');
    const junit = path.join(reports, 'junit.xml');
    writeFileSync(json, 'the previous report\n');
    // The disk fills after the first 1000 bytes of each file: a real partial write, then ENOSPC.
    const realWriteSync = fs.writeSync;
    const full = jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number) => {
      if (offset === 0 && length > 1000) return realWriteSync(fd, buffer, 0, 1000);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }) as typeof fs.writeSync);
    const { io, out } = capture();
    try {
      expect(await main(['--format', 'json', '--json', json, '--junit', junit], io, async () => leaky())).toBe(ExitCode.Usage);
    } finally {
      full.mockRestore();
    }
    expect((JSON.parse(out.stdout) as LeakTestsReport).totals.failed).toBe(1);
    expect(out.stderr).toBe(
      'leak-tests: 2 passed, 1 failed\n' +
        `leak-tests: Cannot write the \`--json\` file \`${json}\`: ENOSPC: no space left on device\n` +
        `leak-tests: Cannot write the \`--junit\` file \`${junit}\`: ENOSPC: no space left on device\n`,
    );
    expect(readFileSync(json, 'utf8')).toBe('the previous report\n');
    expect(readdirSync(reports)).toEqual(['report.json']);
  });

  it('on GitHub Actions prints annotations and appends the step summary', async () => {
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const { io, out } = capture({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    await main([], io, async () => leaky());
    expect(out.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
      "::error file=cases/bug/a-case.json,line=12,title=leak-tests%3A a-case [legacy]::expected 0 leak(s), observed 1%0A1 leak(s), 100 byte(s) in scope 'a-case [legacy]'",
    ]);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## leak-tests: 2 passed, 1 failed\n')).toBe(true);
  });

  it('--shard replays only its share, and says so', async () => {
    const engine = leaky();
    const { io, out } = capture();
    await main(['--shard', '2/2'], io, async () => engine);
    expect(engine.replayed).toEqual(['a-case [legacy]']);
    expect(out.stdout).toContain('\n1 run(s) of 2 scenario(s) at level paranoid, shard 2/2 of 3 planned runs in ');
  });
});
