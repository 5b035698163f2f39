/**
 * `npm run bench`: every benchmark section in `scripts/bench/`, in one process, one after the
 * other. Each section measures its baseline in the same run and prints ratios, because absolute
 * times on these shared 2-core machines vary from run to run.
 *
 * Usage: npm run bench [-- <section> ...]   (sections: the file names in scripts/bench/, without .ts)
 *        npm run bench -- --instructions [<section> ...]   (instruction counts under callgrind, see
 *        scripts/bench/instructions/run.ts; sections: harness, promises, channel-per-chunk, jest, sanitizer)
 *
 * The exit code is set and the process ends on its own, so its output drains whole into a pipe.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describeError } from './leak-tests/uncaught';
import { environmentProblem } from './lib/environment';

/** A benchmark section: a module of scripts/bench/. */
interface Section {
  run(): Promise<void>;
}

async function main(): Promise<number> {
  // The sections load the harness, which reads the BYTEBUF_* variables: checked first.
  const problem = environmentProblem(process.env);
  if (problem !== null) {
    process.stderr.write(`bench: ${problem}\n`);
    return 2;
  }
  const args = process.argv.slice(2);
  if (args.includes('--instructions')) {
    const { runInstructions } = await import('./bench/instructions/run');
    return runInstructions(args.filter((a) => a !== '--instructions'), {
      out: (line) => console.log(line),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  }
  const dir = path.join(__dirname, 'bench');
  const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  const wanted = args;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`bench: Expected sections among ${all.join(', ')}, got ${unknown.join(', ')}\n`);
    return 2;
  }
  for (const name of wanted.length > 0 ? wanted : all) {
    const section = (await import(path.join(dir, `${name}.ts`))) as Section;
    console.log(`\n== bench: ${name} ==`);
    await section.run();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A section that crashed: its stack is what the section's author needs.
    process.stderr.write(`bench: ${error instanceof Error && error.stack !== undefined ? error.stack : describeError(error)}\n`);
    process.exitCode = 1;
  },
);
