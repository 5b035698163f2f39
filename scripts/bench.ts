/**
 * `npm run bench`: every benchmark section in `scripts/bench/`, in one process, one after the
 * other. Each section measures its baseline in the same run and prints ratios, because absolute
 * times on these shared 2-core machines vary from run to run.
 *
 * Usage: npm run bench [-- <section> ...]   (sections: the file names in scripts/bench/, without .ts)
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

async function main(): Promise<void> {
  const dir = path.join(__dirname, 'bench');
  const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    console.error(`Expected sections among ${all.join(', ')}, got ${unknown.join(', ')}`);
    process.exit(2);
  }
  for (const name of wanted.length > 0 ? wanted : all) {
    const section = (await import(path.join(dir, `${name}.ts`))) as { run(): Promise<void> };
    console.log(`\n== bench: ${name} ==`);
    await section.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
