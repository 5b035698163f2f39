/** `npm run netty-diff`'s command line, its missing-Java message and a crashing JVM (no Java needed: fakes stand in). */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nettyDiffMain, DiffExitCode } from '../../../scripts/netty-diff/main';
import { findToolchain, INSTALL_HINT } from '../../../scripts/netty-diff/javaRunner';
import { parseOptions, DEFAULTS, UsageError, USAGE } from '../../../scripts/netty-diff/options';
import { closingLine } from '../../../scripts/netty-diff/report';

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: DiffExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await nettyDiffMain({ argv, env, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const NO_JAVA = { PATH: '/nonexistent-netty-diff-bin', NETTY_DIFF_JAR_DIR: '/nonexistent-netty-diff-jars' };

describe('the toolchain', () => {
  test('missing java, javac and jars: one line naming them and what to install', () => {
    expect(findToolchain(NO_JAVA)).toEqual({
      missing:
        'netty-diff: needs java, javac, /nonexistent-netty-diff-jars/netty-buffer.jar, /nonexistent-netty-diff-jars/netty-common.jar; ' +
        'install them with: apt-get install libnetty-java default-jdk-headless',
    });
    expect(INSTALL_HINT).toBe('apt-get install libnetty-java default-jdk-headless');
  });

  test('nettyDiffMain without them: that one line on stderr, nothing on stdout, exit 2', async () => {
    const { code, stdout, stderr } = await run(['--count', '3'], NO_JAVA);
    expect({ code, stdout }).toEqual({ code: DiffExitCode.Usage, stdout: '' });
    expect(stderr).toBe(`${(findToolchain(NO_JAVA) as { missing: string }).missing}\n`);
  });
});

describe('a Java runner that crashes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'netty-diff-fake-'));
    const script = (name: string, body: string): void => {
      writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(dir, name), 0o755);
    };
    // javac "compiles" by leaving a class file in the -d folder; java prints a JVM crash report and waits for its input to end.
    script('javac', 'while [ "$1" != "-d" ]; do shift; done; touch "$2/NettyDiffRunner.class"');
    script('java', 'echo "# A fatal error has been detected by the Java Runtime Environment:"; cat > /dev/null; exit 134');
    for (const jar of ['netty-buffer.jar', 'netty-common.jar']) writeFileSync(path.join(dir, jar), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('its crash report is no trace: one line on stderr, exit 2, no verdict', async () => {
    const env = { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, NETTY_DIFF_JAR_DIR: dir, NETTY_DIFF_CLASS_DIR: path.join(dir, 'classes') };
    const { code, stdout, stderr } = await run(['--count', '3'], env);
    expect(code).toBe(DiffExitCode.Usage);
    expect(stdout).not.toContain('divergent');
    expect(stderr).toBe(
      'netty-diff: the Java runner wrote a line that is not a trace (a JVM crash? its log goes to reports/netty-diff/): # A fatal error has been detected by the Java Runtime Environment:\n',
    );
  }, 60_000);
});

describe('options', () => {
  test('defaults, and every flag', () => {
    expect(parseOptions([])).toEqual(DEFAULTS);
    expect(parseOptions(['--seed', '7', '--count', '10000', '--max-ops', '5', '--examples', '0', '--json', 'r.json', '--ignore-messages', '--replay', 's.json'])).toEqual({
      seed: 7, count: 10000, maxOps: 5, examples: 0, json: 'r.json', replay: 's.json', messages: false,
    });
  });

  test.each([
    [['--count', '0'], "--count expects an integer from 1 to 10000000, got '0'"],
    [['--seed'], '--seed expects an integer from 0 to 4294967295, got nothing'],
    [['--json', '--count'], '--json expects a file name'],
    [['--fast'], "unknown argument '--fast'"],
  ])('%j: %s', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(new UsageError(message));
  });

  test('a usage error: the problem and the usage on stderr, exit 2, before Java is looked for', async () => {
    expect(await run(['--count', 'many'], NO_JAVA)).toEqual({
      code: DiffExitCode.Usage,
      stdout: '',
      stderr: `netty-diff: --count expects an integer from 1 to 10000000, got 'many'\n${USAGE}\n`,
    });
  });
});

describe('closingLine', () => {
  test('with and without accepted differences', () => {
    expect(closingLine({ sequences: 10000, divergent: 0, accepted: 0 })).toBe('netty-diff: 10000 sequences, 0 divergent');
    expect(closingLine({ sequences: 10, divergent: 2, accepted: 3 })).toBe('netty-diff: 10 sequences, 2 divergent (3 accepted)');
  });
});
