import { CHILD_TIMEOUT_MS, runScript } from '../cli';

describe('exitWhenFlushed (child process, stdout through a slow reader)', () => {
  it('exits with the code after every byte went out, though a handle is still open', async () => {
    const r = await runScript('test/scripts/fixtures/exit/write-then-exit.ts', [], { slowReader: true });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`${'o'.repeat(999_999)}\n`);
    expect(r.stderr).toBe(`${'e'.repeat(299_999)}\n`);
  }, CHILD_TIMEOUT_MS);
});
