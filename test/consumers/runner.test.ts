/**
 * The consumer-apps runner's own parts (scripts/test-consumers/): the check of a run against an
 * app's expect.json, the reading of that file, the command line, the apps' environment, and the
 * step runner's time limit. The apps themselves run in `npm run test:consumers`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConsumerArgs } from '../../scripts/test-consumers/args';
import { ConsumerExpectationError, ConsumerUsageError } from '../../scripts/test-consumers/errors';
import { checkRun, readExpectations, type AppExpectations } from '../../scripts/test-consumers/expectations';
import { appEnvironment, runStep } from '../../scripts/test-consumers/step';

const JEST_APP: AppExpectations = {
  exitCode: 1,
  sanitizer: true,
  site: 'src/frames.ts:15',
  includes: ['✕ skips a padding entry (leaks its value slice)', 'Tests:       1 failed, 1 passed, 2 total'],
};

/** The parts of a real jest 30 run of the jest30 app that its expectations look at. */
const JEST_OUTPUT = [
  'FAIL test/frames.spec.ts',
  '  firstValue',
  '    ✓ reads a data entry and releases its buffer (9 ms)',
  '    ✕ skips a padding entry (leaks its value slice) (40 ms)',
  '',
  '    LeakSanitizerError: Leak sanitizer: this test failed the leak check.',
  '',
  '      - 1 heap buffer (16 bytes, owned) was created during the test, but not released.',
  '',
  '    Leak 1: heap buffer x1 (16 bytes) created at firstValue (src/frames.ts:15:26)',
  'Tests:       1 failed, 1 passed, 2 total',
].join('\n');

describe('checkRun', () => {
  it('accepts a run with the exit code, the sanitizer lines, the site and every expected text', () => {
    expect(checkRun(JEST_APP, 1, JEST_OUTPUT)).toEqual([]);
  });

  it('accepts the output with colour codes', () => {
    expect(checkRun(JEST_APP, 1, JEST_OUTPUT.replace('Tests:', '\u001b[1mTests:\u001b[22m'))).toEqual([]);
  });

  it('names a wrong exit code, a missing sanitizer line, another site and a missing text', () => {
    const output = JEST_OUTPUT.replace('this test failed', 'a test failed').replace('(16 bytes, owned)', '(8 bytes, owned)').replace(':15:26', ':16:26').replace('✕', 'x');
    expect(checkRun(JEST_APP, 0, output)).toEqual([
      'npm test exited 0, expected 1',
      "no line 'Leak sanitizer: this test failed the leak check.'",
      "no line '- 1 heap buffer (16 bytes, owned) was created during the test, but not released.'",
      "no 'created at <fn> (src/frames.ts:15:<column>)' in the report",
      "output lacks '✕ skips a padding entry (leaks its value slice)'",
    ]);
  });

  it('takes the site only from a creation line, not from a record of the path', () => {
    const output = JEST_OUTPUT.replace('created at firstValue (src/frames.ts:15:26)', 'created at firstValue (src/frames.ts:18:23)\n      at firstValue (src/frames.ts:15:26)');
    expect(checkRun(JEST_APP, 1, output)).toEqual(["no 'created at <fn> (src/frames.ts:15:<column>)' in the report"]);
  });

  it('asks an app that uses the API directly for no sanitizer message', () => {
    const app: AppExpectations = { exitCode: 0, sanitizer: false, site: 'src/frames.ts:21', includes: ['check: ok'] };
    expect(checkRun(app, 0, 'Leak 1: heap buffer x1 (16 bytes) created at inspectRecord (src/frames.ts:21:27)\ncheck: ok')).toEqual([]);
    expect(checkRun(app, null, 'check: ok')).toEqual([
      'npm test exited by a signal, expected 0',
      "no 'created at <fn> (src/frames.ts:21:<column>)' in the report",
    ]);
  });
});

describe('readExpectations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'consumer-expect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (value: unknown): void => writeFileSync(path.join(dir, 'expect.json'), JSON.stringify(value));

  it('reads a valid file', () => {
    write(JEST_APP);
    expect(readExpectations(dir)).toEqual(JEST_APP);
  });

  it.each([
    [{ ...JEST_APP, extra: 1 }, 'unknown key(s) extra; expected exitCode, sanitizer, site, includes'],
    [{ ...JEST_APP, site: 'src/frames.ts' }, `site must be 'file:line', got "src/frames.ts"`],
    [{ ...JEST_APP, exitCode: '1' }, 'exitCode must be an integer'],
    [{ ...JEST_APP, includes: ['ok', ''] }, 'includes must be a list of non-empty strings'],
  ])('rejects %j, naming the file and the fault', (value, fault) => {
    write(value);
    expect(() => readExpectations(dir)).toThrow(new ConsumerExpectationError(`${path.join(dir, 'expect.json')}: ${fault}`));
  });

  it('names a missing file', () => {
    expect(() => readExpectations(dir)).toThrow(ConsumerExpectationError);
    expect(() => readExpectations(dir)).toThrow(`cannot read ${path.join(dir, 'expect.json')}: ENOENT`);
  });
});

describe('parseConsumerArgs', () => {
  it('takes repeated --only, --tarball, --jobs and --keep', () => {
    expect(parseConsumerArgs(['--only', 'jest30', '--only', 'mocha', '--tarball', 'x.tgz', '--jobs', '1', '--keep'])).toEqual({
      only: ['jest30', 'mocha'],
      tarball: 'x.tgz',
      jobs: 1,
      keep: true,
      help: false,
    });
  });

  it.each([
    [['--jobs', '3'], "--jobs must be 1 or 2, got '3'"],
    [['--only'], '--only needs a value'],
    [['--only', '--keep'], '--only needs a value'],
    [['jest30'], "unknown argument 'jest30' (see --help)"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseConsumerArgs(argv)).toThrow(new ConsumerUsageError(message));
  });
});

describe('npm run test:consumers', () => {
  it('refuses an app it does not have, listing the apps, with exit 2 and before building anything', async () => {
    const root = path.resolve(__dirname, '..', '..');
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const result = await runStep(tsx, ['scripts/test-consumers.ts', '--only', 'jest31'], root, process.env, 60_000);
    expect(result.code).toBe(2);
    expect(result.output).toBe(
      'test:consumers: no app named jest31; the apps: jest30, jest29, vitest, vitest3, mocha, node-test, cjs-tsc, esm-node\n',
    );
  }, 60_000);
});

describe('appEnvironment', () => {
  it("drops npm's script variables, the harness's settings, NODE_OPTIONS and node_modules/.bin folders", () => {
    const env = appEnvironment({
      PATH: ['/repo/node_modules/.bin', '/usr/local/bin', '/repo/sub/node_modules/.bin', '/usr/bin'].join(path.delimiter),
      HOME: '/home/u',
      npm_config_local_prefix: '/repo',
      npm_lifecycle_event: 'test:consumers',
      BYTEBUF_LEAK_DETECTION_LEVEL: 'disabled',
      BYTEBUF_JEST_SANITIZER: 'off',
      NODE_OPTIONS: '--import tsx',
      FORCE_COLOR: '1',
    });
    expect(env).toEqual({ PATH: ['/usr/local/bin', '/usr/bin'].join(path.delimiter), HOME: '/home/u', NO_COLOR: '1' });
  });
});

describe('runStep', () => {
  /**
   * True while the process with this pid runs. A killed process whose parent has gone stays a
   * zombie (state Z) until init reaps it, which may take a while: it no longer runs.
   */
  const running = (pid: number): boolean => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === false;
    } catch {
      return false;
    }
  };

  it('captures stdout and stderr in order, and the exit code', async () => {
    const script = "process.stdout.write('one\\n'); setTimeout(() => { process.stderr.write('two\\n'); process.exit(3); }, 50);";
    const result = await runStep(process.execPath, ['-e', script], os.tmpdir(), process.env, 60_000);
    expect(result).toMatchObject({ code: 3, output: 'one\ntwo\n', stdout: 'one\n', timedOut: false });
  }, 60_000);

  it('kills a command that outlives its time limit, and what it started', async () => {
    // The command starts a grandchild that would sleep for a minute, prints its pid and hangs.
    const script =
      "const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });" +
      "console.log(c.pid); setTimeout(() => {}, 60000);";
    const result = await runStep(process.execPath, ['-e', script], os.tmpdir(), process.env, 1_000);
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
    const grandchild = Number(result.stdout.trim());
    expect(Number.isInteger(grandchild)).toBe(true);
    // SIGKILL takes effect when the kernel next schedules it: on a loaded machine, give it a moment.
    for (let i = 0; i < 50 && running(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running(grandchild)).toBe(false);
  }, 60_000);
});
