/**
 * Stack frames of the compiled package: its source maps point its frames at the TypeScript
 * sources beside `dist/` (`harness/...`), which must count as the harness's own, as `dist/harness`
 * does, or a source-mapped compiled run (the leak gate, a checkout linked outside node_modules)
 * shows harness frames as the user's and cuts user frames for them.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { harnessDirs } from '../../harness/tracking/stack';

const ROOT = path.resolve(__dirname, '../..');

describe('the harness folders', () => {
  it('running from dist/harness: that folder and the sources beside dist/', () => {
    expect(harnessDirs(path.join('/p', 'dist', 'harness'))).toEqual([path.join('/p', 'dist', 'harness') + path.sep, path.join('/p', 'harness') + path.sep]);
  });

  it('running from the sources: that folder only', () => {
    expect(harnessDirs(path.join('/p', 'harness'))).toEqual([path.join('/p', 'harness') + path.sep]);
  });

  it('the compiled leak gate (npm run leak-tests) reports no harness frame', () => {
    // The launcher builds dist/ first when the sources changed.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-leak-tests.cjs'), '--verbose'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^leak-tests: \d+ passed, 0 failed$/m);
    const frames = run.stdout.split('\n').filter((l) => /^\s*(↳|at) .*\(.*:\d+:\d+\)$/.test(l));
    expect(frames.length).toBeGreaterThan(100);
    expect(frames.filter((l) => /\((dist\/)?harness\//.test(l))).toEqual([]);
  }, 240_000);
});
