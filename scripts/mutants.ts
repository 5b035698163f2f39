/**
 * `npm run mutants`: how many of the hand-written mutants of the fixed channel
 * (`scenarios/mutants/`) the built-in scenarios catch (see scripts/mutants/ and the README).
 */
import * as path from 'node:path';
import { exitWhenFlushed } from './lib/exit';
import { main } from './mutants/main';

main(process.argv.slice(2), path.resolve(__dirname, '..'), (text) => process.stdout.write(text)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    process.stderr.write(`mutants: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitWhenFlushed(2);
  },
);
