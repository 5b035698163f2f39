/**
 * The resources check under node:test, mocha and vitest, on real runs of each runner's copy of
 * the shared resource cases (jest's run is test/jest/resources.test.ts): each case that leaves a
 * resource open fails with the same message as under jest (kind, site in the user's code, fix),
 * each case that closes it passes. Three child runs, two at a time.
 */
import { runNode, sanitizerMessages, type RunnerRun } from '../../node-test/runFixture';
import { LEAKING, PASSING, resourceLine } from './expectations';

const FILES = {
  'node:test': 'test/node-test/fixtures/resources.fixture.ts',
  mocha: 'test/mocha/fixtures/resources.spec.ts',
  vitest: 'test/vitest/fixtures/resources.fixture.ts',
} as const;

type Runner = keyof typeof FILES;

const ARGS: Record<Runner, string[]> = {
  'node:test': ['--import', 'tsx', '--test', FILES['node:test']],
  mocha: ['node_modules/mocha/bin/mocha.js', '--no-colors', '--require', 'tsx/cjs', '--require', './harness/mocha/index.ts', FILES.mocha],
  vitest: ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/vitest/fixtures/vitest.config.mjs'],
};

const runs = new Map<Runner, RunnerRun>();

beforeAll(async () => {
  const [nodeTest, mocha] = await Promise.all([runNode(ARGS['node:test']), runNode(ARGS.mocha)]);
  runs.set('node:test', nodeTest);
  runs.set('mocha', mocha);
  runs.set('vitest', await runNode(ARGS.vitest, { VITEST_FIXTURE: 'resources.fixture.ts' }));
}, 180_000);

/** How each runner says a test passed. */
const PASSED: Record<Runner, (title: string) => RegExp> = {
  'node:test': (t) => new RegExp(`^ {4}ok \\d+ - ${escape(t)}$`, 'm'),
  mocha: (t) => new RegExp(`^ {4}✔ ${escape(t)}`, 'm'),
  vitest: (t) => new RegExp(`✓ ${escape(t)}`),
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(Object.keys(FILES) as Runner[])('%s', (runner) => {
  test('each leaking case fails, in order, with its kind, its site in the user code and its fix', () => {
    const run = runs.get(runner)!;
    expect(run.code).not.toBe(0);
    const messages = sanitizerMessages(run.output, FILES[runner]);
    expect(messages).toHaveLength(LEAKING.length);
    LEAKING.forEach((c, i) => {
      const lines = messages[i]!.split('\n');
      expect([c.title, lines]).toEqual([c.title, expect.arrayContaining([c.overview])]);
      expect([c.title, messages[i]]).toEqual([c.title, expect.stringMatching(resourceLine(c))]);
    });
  });

  test('each case that closes what it opened passes, and so does the opted-out one', () => {
    const run = runs.get(runner)!;
    for (const title of PASSING) expect([title, PASSED[runner](title).test(run.output)]).toEqual([title, true]);
  });
});

test('the counts each runner prints: 10 passed, 9 failed', () => {
  expect(runs.get('node:test')!.output).toContain('# pass 10\n# fail 9\n');
  expect(runs.get('mocha')!.output).toMatch(/ {2}10 passing \(.+\)\n {2}9 failing\n/);
  expect(runs.get('vitest')!.output).toMatch(/Tests {2}9 failed \| 10 passed \(19\)/);
  expect(runs.get('vitest')!.output).toContain(
    'Leak sanitizer: 9 of 19 test(s) leaked (1 file(s) checked): 0 leak(s), 0 byte(s), 9 resource(s) left open or operation(s) not awaited.',
  );
});
