import { MERGE_COMMAND, MERGE_JEST_COMMAND, RUN_COMMAND, SUBCOMMANDS } from '../../../scripts/cli/commands';
import { dispatch } from '../../../scripts/cli/dispatch';
import { HELP } from '../../../scripts/leak-tests/help';
import { MERGE_HELP } from '../../../scripts/leak-tests/merge';
import { main as mergeJestMain } from '../../../scripts/merge-jest-leak-reports/main';

const unknown = (name: string, hint = ''): { kind: 'unknown'; message: string } => ({
  kind: 'unknown',
  message: `bytebuf-leak-tests: Unknown subcommand \`${name}\`${hint} (subcommands: merge, merge-jest; scenario files are passed with \`--scenario <file-or-dir>\`; run with --help for the options)`,
});

describe('dispatch', () => {
  it('no argument, or an option first: the runner, with every argument', () => {
    expect(dispatch([])).toEqual({ kind: 'command', command: RUN_COMMAND, argv: [] });
    expect(dispatch(['--help'])).toEqual({ kind: 'command', command: RUN_COMMAND, argv: ['--help'] });
    // A subcommand's name after an option is the runner's to refuse (it takes no positional argument).
    expect(dispatch(['--format', 'json', 'merge'])).toEqual({ kind: 'command', command: RUN_COMMAND, argv: ['--format', 'json', 'merge'] });
  });

  it('a subcommand first: that command, with the arguments after its name', () => {
    expect(dispatch(['merge', 'a.json', '--json', 'm.json'])).toEqual({ kind: 'command', command: MERGE_COMMAND, argv: ['a.json', '--json', 'm.json'] });
    expect(dispatch(['merge-jest', '--help'])).toEqual({ kind: 'command', command: MERGE_JEST_COMMAND, argv: ['--help'] });
  });

  it.each([
    [['mrege', 'a.json'], unknown('mrege', ', did you mean `merge`?')],
    [['merge-jets'], unknown('merge-jets', ', did you mean `merge-jest`?')],
    [['scenarios/my-dir'], unknown('scenarios/my-dir')],
    [['run'], unknown('run')],
  ])('%j is one line naming it and the subcommands', (argv, expected) => {
    expect(dispatch(argv)).toEqual(expected);
  });
});

describe('help', () => {
  it('speaks of npx bytebuf-leak-tests and lists every subcommand with its usage and summary', () => {
    expect(HELP.split('\n')[0]).toBe(`Usage: ${RUN_COMMAND.usage}`);
    for (const c of SUBCOMMANDS) {
      expect(HELP).toContain(`       ${c.usage}\n`);
      expect(HELP).toContain(`  ${c.name!.padEnd(10)}  ${c.summary}\n`);
    }
    expect(HELP).not.toContain('tsx');
  });

  it("each subcommand's own --help starts with its usage line", () => {
    expect(MERGE_HELP.split('\n')[0]).toBe(`Usage: ${MERGE_COMMAND.usage}`);
    const out: string[] = [];
    expect(mergeJestMain(['--help'], (t) => out.push(t))).toBe(0);
    expect(out).toEqual([`Usage: ${MERGE_JEST_COMMAND.usage}\n`]);
  });
});
