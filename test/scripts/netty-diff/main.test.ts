/** `npm run netty-diff`'s command line and its missing-Java message (no Java needed). */
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
