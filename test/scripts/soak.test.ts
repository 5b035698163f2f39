/**
 * `npm run soak` (= `tsx scripts/soak.ts`): `soakMain` in-process for its output and exit codes,
 * and the real command in a child process once.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_CHANNELS } from '../../scripts/soak/core';
import { soakMain, SoakExitCode, type SoakIo } from '../../scripts/soak/main';
import { silenceGcLeakReports } from '../channel/helpers';

silenceGcLeakReports();

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `soakMain` with `env`, collecting its output. */
async function runMain(env: NodeJS.ProcessEnv, channels?: SoakIo['channels']): Promise<{ code: SoakExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await soakMain({ env, channels, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe('soakMain', () => {
  test('a clean run: the seed first, the figures, then exactly the closing line; exit 0', async () => {
    const { code, stdout, stderr } = await runMain({ SOAK_SEQUENCES: '40', SOAK_SEED: '5' });
    expect({ code, stderr }).toEqual({ code: SoakExitCode.Passed, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('soak: seed 5, 40 sequences of at most 32 operations (rerun: SOAK_SEED=5 SOAK_SEQUENCES=40 npm run soak)');
    expect(lines[1]).toMatch(/^soak: \d+ ByteBufferAsyncWritableChannel sequences \(each run on fixed and on legacy\), \d+ RetainingAsyncWritableChannel sequences, [\d,]+ operations in \d+\.\d s$/);
    expect(lines[2]).toMatch(/^soak: legacy showed [\d,]+ leak\(s\) and [\d,]+ over-release\(s\), each as its sequence predicts; fixed and retaining: 0 expected$/);
    expect(lines.slice(3)).toEqual(['soak: 40 sequences, 0 failures']);
  }, 120_000);

  test.each([
    [{ SOAK_SEQUENCES: 'many' }, "Expected SOAK_SEQUENCES to be a positive integer, got 'many'\n"],
    [{ SOAK_SEED: '-3' }, "Expected SOAK_SEED to be an integer from 0 to 2147483647, got '-3'\n"],
  ])('%j: one line naming the variable, nothing run, exit 2', async (env, message) => {
    expect(await runMain(env)).toEqual({ code: SoakExitCode.Usage, stdout: '', stderr: message });
  });

  test('a broken channel: the failure with its shrunk counterexample, evidence and rerun command; exit 1', async () => {
    const { code, stdout } = await runMain({ SOAK_SEQUENCES: '30', SOAK_SEED: '20261201' }, { ...PROJECT_CHANNELS, fixed: PROJECT_CHANNELS.legacy });
    expect(code).toBe(SoakExitCode.Failed);
    const lines = stdout.trimEnd().split('\n');
    const fail = lines.findIndex((l) => l.startsWith('FAIL '));
    expect(lines.slice(fail, fail + 6)).toEqual([
      "FAIL sequence #2 (seed 20261201): leak: expected 0 leak(s), observed 1 leak(s), 65 byte(s) in scope 'soak-bbawc (fixed)'",
      expect.stringMatching(/^ {2}shrunk counterexample \(fast-check path 2(:\d+)*\):$/) as unknown,
      '    ByteBufferAsyncWritableChannel (fixed, then legacy):',
      '    1. {"t":"write","source":"ByteBuffer:direct","size":65,"withCallback":false,"fromCallback":null}',
      '  evidence:',
      expect.stringMatching(/^ {4}Leak 1: wrapper of a direct ByteBuffer x1 \(65 bytes\) created at LegacyByteBufferAsyncWritableChannel\.write \(channel\//) as unknown,
    ]);
    expect(lines).toContain('  rerun up to this sequence: SOAK_SEED=20261201 SOAK_SEQUENCES=3 npm run soak');
    expect(lines[lines.length - 1]).toMatch(/^soak: 30 sequences, [1-9]\d* failures$/);
  }, 120_000);
});

describe('npm run soak (child process)', () => {
  test('prints the closing line last and exits 0; a bad SOAK_SEQUENCES exits 2 with one line', async () => {
    const ok = await tsx({ SOAK_SEQUENCES: '25', SOAK_SEED: '3' });
    expect(ok.code).toBe(0);
    expect(ok.stdout.endsWith('\nsoak: 25 sequences, 0 failures\n')).toBe(true);
    const bad = await tsx({ SOAK_SEQUENCES: '1,000' });
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: "Expected SOAK_SEQUENCES to be a positive integer, got '1,000'\n" });
  }, 120_000);
});

function tsx(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/soak.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
