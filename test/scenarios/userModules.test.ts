/**
 * User modules loaded by the compiled engine (the installed CLI, `npm run leak-tests`): plain
 * `node`, no TypeScript loader in place, so each `.ts` module goes through tsx's API. The engine's
 * module is compiled on its own (it imports only Node's) and run in a child process.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const CALL = path.join(ROOT, 'test', 'scenarios', 'fixtures', 'call');
const STEPS = path.join(ROOT, 'test', 'scenarios', 'fixtures', 'steps');
/** The export names of steps/my-steps.ts. */
const MY_STEPS_EXPORTS = 'default';

/** Child processes on a slow shared machine. */
const TEST_TIMEOUT_MS = 60_000;

describe('user modules under the compiled engine (plain node, TypeScript through tsx)', () => {
  // Inside the repository (reports/ is ignored by git), so that `tsx/cjs/api` resolves.
  fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true }); // a fresh clone has none yet
  const dir = fs.mkdtempSync(path.join(ROOT, 'reports', 'user-modules-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const source = fs.readFileSync(path.join(ROOT, 'scenarios', 'engine', 'userModules.ts'), 'utf8');
  const compiled = path.join(dir, 'userModules.js');
  fs.writeFileSync(compiled, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);

  /** Loads each file in turn in one plain node process; a line per file: its export names, or the fault. */
  function loadInOrder(files: readonly string[]): string[] {
    const script = `
      const { exportsOf } = require(${JSON.stringify(compiled)});
      (async () => {
        for (const f of ${JSON.stringify(files)}) {
          try { console.log(Object.keys(await exportsOf(f, 'call module')).sort().join(',')); }
          catch (e) { console.log('fault: ' + e.message); }
        }
      })();`;
    return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  }

  it(
    'a second TypeScript module loads after a first one, and after one that threw while loading',
    () => {
      const helpers = path.join(CALL, 'helpers.ts');
      const exportsOfHelpers = 'consume,dropWrapper,makeFilled,notAFunction,returnsNumber';
      const lines = loadInOrder([path.join(CALL, 'throws-on-load.ts'), helpers, path.join(STEPS, 'my-steps.ts')]);
      expect(lines).toEqual(['fault: the module failed to load (Error: helpers are not configured)', exportsOfHelpers, MY_STEPS_EXPORTS]);
    },
    TEST_TIMEOUT_MS,
  );
});
