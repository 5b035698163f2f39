/**
 * `npm run check:package`: builds, packs the package as npm would publish it (the build ran
 * just before, so the pack skips the `prepack` one and its JSON is alone on stdout), then lints the tarball with publint (package.json fields, `exports`, file
 * formats) and Are The Types Wrong (the types each entry resolves to under node10, node16 CJS and
 * ESM, and bundlers). Exits non-zero when packing fails or either tool reports a problem.
 * `--keep <dir>` leaves the checked tarball in `<dir>` (CI installs that one into the consumer apps
 * instead of building and packing again); without it the tarball is deleted.
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** Runs a command from the package root with this process's output; returns its exit code. */
function run(command: string, args: readonly string[], capture = false): { code: number; stdout: string } {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout ?? '' };
}

/** The folder of `--keep <dir>`, or undefined. Anything else on the command line is an error. */
function keepDir(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return undefined;
  if (argv.length === 2 && argv[0] === '--keep' && argv[1] !== '') return path.resolve(argv[1]!);
  throw new UsageError(`check:package: expected no arguments or --keep <dir>, got: ${argv.join(' ')}`);
}

class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';
}

function main(argv: readonly string[]): number {
  let keep: string | undefined;
  try {
    keep = keepDir(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'bytebuf-leak-harness-pack-'));
  try {
    const built = run('npm', ['run', '-s', 'build']).code;
    if (built !== 0) return built;
    const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], true);
    if (packed.code !== 0) return packed.code;
    const [info] = JSON.parse(packed.stdout) as { filename: string }[];
    const tarball = path.join(dir, info!.filename);
    process.stdout.write(`check:package: packed ${keep !== undefined ? tarball : info!.filename}\n== publint\n`);
    const publint = run(path.join(BIN, 'publint'), ['run', '--strict', '--level', 'suggestion', tarball]).code;
    process.stdout.write('== attw (Are The Types Wrong)\n');
    const attw = run(path.join(BIN, 'attw'), ['--no-color', '--no-emoji', '--format', 'table-flipped', tarball]).code;
    const failed = [publint !== 0 ? 'publint' : '', attw !== 0 ? 'attw' : ''].filter((t) => t !== '');
    process.stdout.write(failed.length === 0 ? 'check:package: publint and attw are clean\n' : `check:package: ${failed.join(' and ')} reported problems\n`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
