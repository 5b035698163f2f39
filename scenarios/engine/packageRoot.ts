/**
 * The root of the bytebuf-leak-harness package: the folder that holds the built-in scenario files
 * (`scenarios/cases`) and their schema (`scenarios/schema`). The engine runs from the source tree
 * (`scenarios/engine/`) and compiled (`dist/scenarios/engine/`), so the root is not a fixed number
 * of folders up: it is the nearest folder above whose package.json names this package.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IllegalStateException } from '../../harness/errors';

/** The package's name, as its package.json spells it. */
export const PACKAGE_NAME = 'bytebuf-leak-harness';

/** The package.json `name` in `dir`, or undefined when there is none (or it cannot be read). */
function packageNameIn(dir: string): string | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof data.name === 'string' ? data.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The nearest folder at or above `from` whose package.json is this package's. Throws an
 * `IllegalStateException` naming `from` when there is none (the package's files were moved apart).
 */
export function findPackageRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (packageNameIn(dir) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) {
      throw new IllegalStateException(`Expected a package.json named "${PACKAGE_NAME}" in ${from} or a folder above it, got none`);
    }
  }
}

/** This package's root, found from this module's own folder. */
export const PACKAGE_ROOT: string = findPackageRoot(__dirname);
