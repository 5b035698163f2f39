/**
 * `npm run mutants` as a whole: usage errors and a stale mutant stop it before any replay (exit
 * 2), and one real run of two mutants in a child process (one caught, one known-equivalent).
 */
import * as path from 'node:path';
import { main } from '../../scripts/mutants/main';
import { runScript, ROOT } from '../scripts/cli';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, ROOT, (text) => (out += text));
  return { code, out };
}

describe('npm run mutants: refusals (exit 2, nothing replayed)', () => {
  it('a mutant that does not apply is named, and the run stops', async () => {
    const r = await run(['--mutants', path.join(__dirname, 'fixtures', 'stale')]);
    expect(r).toEqual({
      code: 2,
      out:
        'mutant gone-search: does not apply: its search text is not found in channel/ownership.ts (it must occur exactly once)\n' +
        'mutants: 1 mutant(s) do not apply; update or remove them\n',
    });
  });

  it('an unknown --only id', async () => {
    const r = await run(['--only', 'ack-release-dropped,no-such-mutant']);
    expect(r).toEqual({ code: 2, out: 'mutants: unknown mutant "no-such-mutant" (see scenarios/mutants/)\n' });
  });

  it('an unknown argument, and --only without a value', async () => {
    expect((await run(['--fast'])).out.split('\n')[0]).toBe('mutants: unknown argument "--fast"');
    expect((await run(['--only'])).code).toBe(2);
    expect((await run(['--only'])).out.split('\n')[0]).toBe('mutants: --only needs a value');
  });
});

describe('npm run mutants: a real run', () => {
  it('replays two mutants: a dropped release is caught by the scenarios, a release before the callback survives as listed', async () => {
    const r = await runScript('scripts/mutants.ts', ['--only', 'ack-release-dropped,cbq-release-before-callback']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // The two replays run at once: their lines come in the order they finish.
    const [first, second] = lines.slice(0, 2).sort();
    expect(first).toMatch(/^mutant ack-release-dropped: caught by bytebuffer-vs-bytebuf \(fixed\), multiple-bytebuffer-writes \(fixed\), write-bytebuffer-normal-flow \(fixed\) and \d+ more$/);
    expect(second).toBe('mutant cbq-release-before-callback: SURVIVED');
    expect(lines[2]).toMatch(/^survivor cbq-release-before-callback: Equivalent for the scenario language: /);
    expect(lines.slice(3)).toEqual(['mutants: 1 caught, 1 survived (50.0%)']);
  }, 120_000);
});
